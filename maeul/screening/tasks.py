"""Background tasks of screening (Django's tasks API, database backend, ``db_worker``)."""

from __future__ import annotations

from django_tasks import task

from maeul.screening.services import screening_run_execute


@task()
def screening_task(run_id: int) -> dict[str, int] | None:
    """Screen the queued ``ScreeningRun``: progress, lists, leads and failure are recorded on
    the run, which the page polls. None when the run was no longer waiting."""
    run = screening_run_execute(run_id=run_id)
    if run is None:
        return None
    return {"run": run.pk, "households": run.households, "listed": run.listed}
