"""Background tasks of the benefits app (Django's tasks API through the django-tasks backport;
the database backend, run by `manage.py db_worker`). Each calls a service and returns what a
person reading the task's result wants to know."""

from __future__ import annotations

from django_tasks import task

from maeul.benefits.services import sweep_run_execute


@task()
def registry_sweep_task(run_id: int) -> dict[str, int] | None:
    """Sweep the queued ``SweepRun`` (``sweep_start`` queues it): progress, results, leads and
    failure are recorded on the run, which the sweep page polls. None when the run was no
    longer waiting (a second delivery of the task writes nothing)."""
    run = sweep_run_execute(run_id=run_id)
    if run is None:
        return None
    return {
        "run": run.pk,
        "households": run.households,
        "blind_spots": run.blind_spots,
        "unqualified": run.unqualified,
        "incomplete": run.incomplete,
        "leads_created": run.leads_created,
    }
