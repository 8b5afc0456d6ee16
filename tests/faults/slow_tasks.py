"""A task for the worker-kill drill: it marks that it started (writing the id of the process
that runs it), works for a while, then appends one line to its `.done` file per completed run
(so a second run would show)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_marker(path: str, seconds: float) -> str:
    Path(path + ".started").write_text(f"{os.getpid()}\n")
    time.sleep(seconds)
    with open(path + ".done", "a") as done:
        done.write("done\n")
    return "done"
