"""`make bench`: every benchmark of the project, one after the other."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# load.py starts its own servers and screening.py runs for minutes at 1M households: run
# them by hand (their docstrings say how).
for script in [
    "pages.py",
    "audit.py",
    "upload.py",
    "eligibility.py",
    "survey.py",
    "evaluation.py",
    "matching.py",
    "routing.py",
]:
    path = HERE / script
    if path.exists():
        print(f"\n== bench/{script}", flush=True)
        subprocess.run([sys.executable, str(path)], check=True)
