"""Writes of the evaluation: the report runs (queued by the page, built by the worker)."""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.errors import DomainError
from maeul.evaluation.models import ReportRun
from maeul.evaluation.reports import build_pdf, build_xlsx, report_summary
from maeul.indicators.selectors import indicator_areas, period_check

PROGRESS_EVERY = 1.0  # seconds between progress writes
#: A running report that has not reported progress for this long was abandoned (worker gone).
ABANDONED_AFTER = dt.timedelta(minutes=15)


@transaction.atomic
def report_run_open(
    *, actor: User, start: dt.date | None, end: dt.date | None, language: str = "ko"
) -> ReportRun:
    """Ask for a report of a period (the Ministry's table allows up to three years). Refused
    while the same person's previous report is still waiting or running (a second click);
    one abandoned by its worker is marked failed and no longer counts."""
    start, end = period_check(start, end, field="start")
    gu, _dongs = indicator_areas(user=actor)
    for other in ReportRun.objects.select_for_update().filter(
        requested_by=actor, status__in=ReportRun.ACTIVE
    ):
        if timezone.now() - other.updated_at > ABANDONED_AFTER:
            ReportRun.objects.filter(pk=other.pk).update(
                status=ReportRun.Status.FAILED,
                error=_("The worker stopped reporting progress; the report was abandoned."),
                finished_at=timezone.now(),
            )
            continue
        raise DomainError(
            "report_running",
            _("Your previous report is still being built; wait for it to finish."),
        )
    return ReportRun.objects.create(
        gu=gu, requested_by=actor, period_start=start, period_end=end, language=language
    )


def report_start(
    *, actor: User, start: dt.date | None, end: dt.date | None, language: str = "ko"
) -> ReportRun:
    """The page's button: open a run and queue the task that builds it, in one transaction."""
    from maeul.evaluation.tasks import report_task  # tasks import the services they run

    with transaction.atomic():
        run = report_run_open(actor=actor, start=start, end=end, language=language)
        result = report_task.enqueue(run_id=run.pk)
        ReportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def report_run_execute(*, run_id: int) -> ReportRun | None:
    """Build a queued report (the task's body): running, progress per month of the series
    counted, then the workbook and the PDF saved together (done), or failed with the reason
    and raised again. A run no longer queued is left as it is (None)."""
    now = timezone.now()
    claimed = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).update(
        status=ReportRun.Status.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    run = ReportRun.objects.select_related("requested_by").get(pk=run_id)
    reported = 0.0
    steps = {"total": 2}  # the series' months (when counted, not cached), the workbook, the PDF

    def progress(done: int, total: int) -> None:
        nonlocal reported
        steps["total"] = total + 2
        if 0 < done < total and time.monotonic() - reported < PROGRESS_EVERY:
            return
        reported = time.monotonic()
        ReportRun.objects.filter(pk=run_id).update(
            done=done, total=total + 2, updated_at=timezone.now()
        )

    try:
        if run.requested_by is None:
            raise DomainError(
                "no_requester", _("The person who asked for the report no longer exists.")
            )
        with translation.override(run.language or "ko"):
            summary = report_summary(
                user=run.requested_by,
                start=run.period_start,
                end=run.period_end,
                today=timezone.localdate(),
                progress=progress,
            )
            xlsx = build_xlsx(summary)
            ReportRun.objects.filter(pk=run_id).update(
                done=steps["total"] - 1, total=steps["total"], updated_at=timezone.now()
            )
            pdf = build_pdf(summary)
    except Exception as exc:
        ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
            status=ReportRun.Status.FAILED,
            error=str(getattr(exc, "message", "") or exc) or exc.__class__.__name__,
            finished_at=timezone.now(),
        )
        raise
    ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
        status=ReportRun.Status.DONE,
        summary=summary,
        xlsx=xlsx,
        pdf=pdf,
        done=steps["total"],
        total=steps["total"],
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run
