"""The task worker killed in the middle of a task (kill -9, a crash, the machine losing power).

What the database backend of django-tasks does (django_tasks_db 0.13, read and tested here): a
worker claims a task by setting it RUNNING in the same transaction that locks it (FOR UPDATE
SKIP LOCKED), so no second worker takes it; a worker killed before the end leaves it RUNNING,
and no worker ever runs a RUNNING task again: it is never done twice, and never retried by the
backend. Recovery is the app's: a sweep that stops reporting progress is found abandoned and
marked failed with the reason when the next sweep is asked for, and a late delivery of the
old task writes nothing (benefits.services.sweep_run_execute claims QUEUED runs only)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maeul.benefits.models import SweepRun
from maeul.benefits.services import SWEEP_STALE_AFTER, sweep_run_execute, sweep_run_open
from tests.faults.pg import ROOT, database_url, needs_postgresql, pg_env
from tests.faults.slow_tasks import slow_marker

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def start_worker(*extra: str) -> subprocess.Popen:
    """A real `db_worker` against the test database, in a process group of its own.

    `--no-reload`: in the dev settings (DEBUG) db_worker runs under Django's autoreloader, a
    parent that only watches files while a child of it claims and runs the tasks; killing the
    parent left the child running (and polling every 0.2 s) after the test run. With the
    reloader off the process started here is the worker itself, and the group kill of
    `workers` reaps anything it might start."""
    from django.db import connection

    env = pg_env() | {
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "MAEUL_ENV": "dev",
    }
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "db_worker",
            "--interval",
            "0.2",
            "--no-reload",
            "--skip-checks",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group and wait for it (no zombie, no orphan)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # already gone
    try:
        process.wait(timeout=30)
    finally:
        if process.stderr:
            process.stderr.close()


@pytest.fixture
def workers():
    """Starts workers for a test and reaps every one of them afterwards, whatever happened:
    a failed assertion, a timeout, an error in the test."""
    started: list[subprocess.Popen] = []

    def start(*extra: str) -> subprocess.Popen:
        process = start_worker(*extra)
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            kill_group(process)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"the worker exited: {process.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail("the worker did not start the task")
        time.sleep(0.2)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_its_task_running_and_no_worker_runs_it_twice(tmp_path, workers):
    marker = str(tmp_path / "task")
    with override_settings(TASKS=DB_TASKS):
        result = slow_marker.enqueue(marker, 60)
    first = workers()
    wait_for(Path(marker + ".started"), first)
    # The process that runs the task is the one started (no reloader between them) ...
    assert int(Path(marker + ".started").read_text()) == first.pid
    kill_group(first)
    # ... so the kill ends the task itself: nothing of the worker is left running.
    assert not group_alive(first.pid)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING
    assert not Path(marker + ".done").exists()
    # A new worker (the service restarted by systemd) finds nothing ready: the task is not run
    # again, so whatever it half did is not done a second time.
    second = workers("--batch")
    assert second.wait(timeout=120) == 0, second.stderr.read().decode()[-2000:]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING
    assert not Path(marker + ".done").exists()
    end_other_sessions()


def end_other_sessions() -> None:
    """The killed worker's server session ends when the server notices; end it now so that the
    test database can be dropped."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.mark.django_db
def test_the_sweep_of_a_killed_worker_is_marked_failed_and_never_done_twice(gu, dong_a):
    stale = SweepRun.objects.create(
        period="2026-11", dong_ids=[dong_a.pk], status=SweepRun.Status.RUNNING, task_id="gone"
    )
    SweepRun.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - SWEEP_STALE_AFTER - dt.timedelta(minutes=1)
    )
    fresh = sweep_run_open(actor=None, period="2026-11", dong_ids=[dong_a.pk])
    stale.refresh_from_db()
    assert stale.status == SweepRun.Status.FAILED
    assert "no progress" in stale.error
    assert fresh.status == SweepRun.Status.QUEUED
    # the old task delivered late (a worker restarted with it) writes nothing
    assert sweep_run_execute(run_id=stale.pk) is None
    stale.refresh_from_db()
    assert stale.status == SweepRun.Status.FAILED and stale.results == {}
