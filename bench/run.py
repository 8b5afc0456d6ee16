"""`make bench`: every benchmark of the project, one after the other."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script in ["pages.py", "audit.py", "upload.py", "eligibility.py"]:
    path = HERE / script
    if path.exists():
        print(f"\n== bench/{script}", flush=True)
        subprocess.run([sys.executable, str(path)], check=True)
