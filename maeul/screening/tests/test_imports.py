"""Loading the site does not load screening's engines: LightGBM, Ibis/DuckDB, PySpark, lleaves,
Polars, Arrow and SciPy load when a model is trained, features are built or a run runs. They
took most of the start-up time of every web and worker process (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("lightgbm", "lleaves", "ibis", "duckdb", "pyspark", "polars", "pyarrow", "scipy")

PROBE = """
import json, sys
import django
django.setup()
import maeul.urls
import maeul.screening.dashboard, maeul.screening.tasks
import maeul.screening.management.commands.screen
import maeul.screening.management.commands.screen_evaluate
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in %r)))
"""


def test_loading_the_urls_does_not_load_the_screening_engines():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "maeul.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    # another app may load SciPy, Polars or Arrow for itself; screening's own engines never
    mine = {m.split(".")[0] for m in loaded} & {"lightgbm", "lleaves", "ibis", "duckdb", "pyspark"}
    assert not mine, f"loaded with the URLs: {sorted(mine)}"
