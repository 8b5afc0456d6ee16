"""Writes of the evaluation: the report runs (queued by the page, built by the worker), and\nthe gu's planning: sphere links (through areas' services), the caseload standard, staff\npostings."""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maeul.accounts.models import DONG_STAFF_ROLES, GU_ROLES, User
from maeul.areas.models import Area, SphereLink
from maeul.areas.services import sphere_link_end, sphere_links_create
from maeul.errors import DomainError, NotFound
from maeul.evaluation.models import CaseloadStandard, ReportRun, StaffPosting
from maeul.evaluation.reports import build_pdf, build_xlsx, report_summary
from maeul.indicators.selectors import indicator_areas, period_check

PROGRESS_EVERY = 1.0  # seconds between progress writes
#: A running report that has not reported progress for this long was abandoned (worker gone).
ABANDONED_AFTER = dt.timedelta(minutes=15)
STANDARD_MAX = 1000
#: The roles a staff posting may carry (hub staff: the dongs' teams and the gu team).
STAFF_ROLES = {str(r) for r in DONG_STAFF_ROLES | GU_ROLES}


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


# Planning: sphere links, the caseload standard, staff postings --------------------------------------


def _gu_of(actor: User) -> Area:
    """The gu whose planning the actor may change: gu team and administrators, their gu."""
    if not actor.is_authenticated or not actor.is_gu_level or actor.home_area is None:
        raise NotFound()
    area = actor.home_area
    if area.level != Area.Level.SIGUNGU:
        raise NotFound()
    return area


def _dong_of_gu(gu: Area, area_id: int | None, *, allow_gu: bool = False) -> Area:
    levels = [Area.Level.DONG, Area.Level.SIGUNGU] if allow_gu else [Area.Level.DONG]
    area = Area.objects.filter(pk=area_id, level__in=levels).first() if area_id else None
    if area is None or (area.pk != gu.pk and area.parent_id != gu.pk):
        raise DomainError("area_required", _("Choose a dong of your gu."), field="area")
    if area.pk == gu.pk and not allow_gu:
        raise DomainError("area_required", _("Choose a dong of your gu."), field="area")
    return area


@transaction.atomic
def sphere_links_add(
    *, actor: User, central_id: int | None, linked_ids: list[int], starts_on: dt.date | None
) -> list[SphereLink]:
    """A gu records a sphere-type hub model: from `starts_on` the central dong's team also
    works the linked dongs' households (`people.selectors.dong_ids_of` follows the link)."""
    gu = _gu_of(actor)
    central = _dong_of_gu(gu, central_id)
    for dong_id in linked_ids:
        _dong_of_gu(gu, dong_id)
    return sphere_links_create(
        actor=actor, central_id=central.pk, linked_ids=linked_ids, starts_on=starts_on
    )


@transaction.atomic
def sphere_link_remove(*, actor: User, link_id: int) -> SphereLink:
    """End a sphere link of the actor's gu today (another gu's link: NotFound)."""
    gu = _gu_of(actor)
    return sphere_link_end(actor=actor, link_id=link_id, gu_id=gu.pk)


@transaction.atomic
def caseload_standard_set(
    *,
    actor: User,
    open_cases: int | None,
    follow_ups: int | None,
    visits: int | None,
    note: str = "",
) -> CaseloadStandard:
    """The gu's caseload standard per visiting worker and month; a new row each time (the
    history is kept, the newest is in force)."""
    gu = _gu_of(actor)
    values = {"open_cases": open_cases, "follow_ups": follow_ups, "visits": visits}
    for field, value in values.items():
        if value is None or not 1 <= value <= STANDARD_MAX:
            raise DomainError(
                "standard_range",
                _("Give a whole number from 1 to %(max)s.") % {"max": STANDARD_MAX},
                field=field,
            )
    return CaseloadStandard.objects.create(
        gu=gu,
        set_by=actor,
        note=note.strip()[:200],
        **values,
    )


@transaction.atomic
def staff_posting_add(
    *,
    actor: User,
    area_id: int | None,
    name: str,
    role: str,
    qualification: str,
    employment: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None = None,
    user_id: int | None = None,
) -> StaffPosting:
    """Record one person's posting to a dong of the gu (or the gu team)."""
    gu = _gu_of(actor)
    area = _dong_of_gu(gu, area_id, allow_gu=True)
    name = name.strip()
    if not name:
        raise DomainError("name_required", _("Give the person's name."), field="name")
    if role not in STAFF_ROLES:
        raise DomainError("role", _("Choose a hub staff role."), field="role")
    if qualification not in StaffPosting.Qualification.values:
        raise DomainError("qualification", _("Choose a qualification."), field="qualification")
    if employment not in StaffPosting.Employment.values:
        raise DomainError("employment", _("Choose an employment."), field="employment")
    if starts_on is None:
        raise DomainError("starts_on", _("Give the date the posting starts."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("ends_on", _("The posting cannot end before it starts."), field="ends_on")
    account = None
    if user_id:
        account = User.objects.filter(
            pk=user_id, home_area__in=[gu, *Area.objects.filter(parent=gu)]
        ).first()
        if account is None:
            raise DomainError("account", _("No such account in your gu."), field="user")
    return StaffPosting.objects.create(
        area=area,
        user=account,
        name=name[:60],
        role=role,
        qualification=qualification,
        employment=employment,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor,
    )


@transaction.atomic
def staff_posting_end(*, actor: User, posting_id: int, ends_on: dt.date | None) -> StaffPosting:
    """Close a posting (the person left or changed post) on `ends_on` (default today)."""
    gu = _gu_of(actor)
    posting = (
        StaffPosting.objects.select_for_update()
        .filter(pk=posting_id)
        .filter(Q(area=gu) | Q(area__parent=gu))
        .first()
    )
    if posting is None:
        raise NotFound()
    day = ends_on or timezone.localdate()
    if posting.ends_on is not None:
        raise DomainError("already_ended", _("This posting has already ended."))
    if day < posting.starts_on:
        raise DomainError("ends_on", _("The posting cannot end before it starts."), field="ends_on")
    posting.ends_on = day
    posting.save(update_fields=["ends_on"])
    return posting
