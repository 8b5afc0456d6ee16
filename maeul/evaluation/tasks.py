"""Background tasks of the evaluation (django-tasks, database backend, `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from maeul.evaluation.services import report_run_execute


@task()
def report_task(run_id: int) -> dict[str, int] | None:
    """Build the queued ``ReportRun`` (``report_start`` queues it); its progress, files and
    failure are recorded on the run, which the reports page polls."""
    run = report_run_execute(run_id=run_id)
    if run is None:
        return None
    return {"run": run.pk, "xlsx_bytes": len(run.xlsx or b""), "pdf_bytes": len(run.pdf or b"")}
