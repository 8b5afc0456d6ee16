"""Helpers of the PostgreSQL fault tests: the server's binaries, the test database's URL and
settings, a second connection that does what an operator would (terminate backends)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL fault: needs PostgreSQL"
)


def pg_tool(name: str) -> str:
    """pg_dump, pg_restore, …: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        pytest.skip(f"{name} is not installed")
    return candidates[-1]


def pg_args() -> list[str]:
    """Connection options of the test database for the command-line tools."""
    s = connection.settings_dict
    args = ["--host", s["HOST"] or "localhost", "--username", s["USER"] or "postgres"]
    if s["PORT"]:
        args += ["--port", str(s["PORT"])]
    return args


def pg_env() -> dict[str, str]:
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}{port}/{name}"


def manage(*args: str, database: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """`manage.py …` in a process of its own against `database` (same keys and settings)."""
    env = pg_env() | {"DATABASE_URL": database_url(database), "MAEUL_ENV": "dev"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args, "--skip-checks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
