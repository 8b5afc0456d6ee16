"""The silence escalation chain (DOMAIN: lonely deaths): a person living alone has a care
check-in interval; a check-in (a care visit recorded by the volunteer or the hub) resets it;
a check-in missed past the interval escalates on its own, one step per run of
`manage.py care_escalate` (run on a schedule, e.g. hourly from cron or systemd):

1. past the interval: the care volunteer is reminded;
2. a day later: the dong's visiting nurse (else a welfare official) is alerted;
3. a day after that: an emergency visit is planned for today, in that person's name.

Each step is on the household's timeline with its time (`people.services.event_record`);
the dashboard card lists who is silent now."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import Role, User
from maeul.accounts.permissions import require_hub_staff
from maeul.campaigns.models import CareWatch
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import Household, TimelineEvent
from maeul.people.selectors import household_require_visible, households_visible_to
from maeul.people.services import event_record
from maeul.visits.models import Visit
from maeul.visits.services import visit_plan, visit_record

#: Days past the interval at which each stage begins (stage 1 at once).
STAGE_AFTER_DAYS = {1: 0, 2: 1, 3: 2}


@transaction.atomic
def care_watch_set(
    *, actor: User, household: Household, interval_days: int, now: dt.datetime | None = None
) -> CareWatch:
    """Set (or change) how often a household living alone must be checked in on."""
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
    if not 1 <= int(interval_days) <= 60:
        raise DomainError(
            "invalid_interval", _("Check-ins are every 1 to 60 days."), field="interval_days"
        )
    watch, _created = CareWatch.objects.update_or_create(
        household=household,
        defaults={"interval_days": interval_days},
        create_defaults={
            "interval_days": interval_days,
            "last_check_in_at": now or timezone.now(),
        },
    )
    return watch


@transaction.atomic
def care_check_in(
    *, actor: User, household: Household, notes: str = "", now: dt.datetime | None = None
) -> Visit:
    """A care visit recorded by the household's volunteer (or hub staff): the person was met,
    the silence chain starts over."""
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        raise NotFound()
    if not (actor.is_hub_staff or household.care_volunteers.filter(pk=actor.pk).exists()):
        raise PermissionDenied(_("Only the household's care volunteer or hub staff check in."))
    now = now or timezone.now()
    visit, _warnings = visit_plan(
        actor=actor, household=household, planned_on=timezone.localdate(now), kind=Visit.Kind.CARE
    )
    visit = visit_record(actor=actor, visit=visit, outcome=Visit.Outcome.MET, notes=notes)
    # A visit written offline may arrive after a newer check-in: it is recorded, but the
    # chain's clock never moves backwards (that would escalate a household just seen).
    CareWatch.objects.filter(household=household, last_check_in_at__lt=now).update(
        last_check_in_at=now, stage=CareWatch.Stage.QUIET, stage_at=None
    )
    return visit


def _responder(household: Household) -> User | None:
    """Who is alerted and plans the emergency visit: the dong's visiting nurse, else a
    welfare official, else anyone of the dong's hub team."""
    staff = User.objects.filter(is_active=True, home_area_id=household.dong_id)
    for role in (Role.VISITING_NURSE, Role.WELFARE_OFFICIAL, Role.WELFARE_MANAGER):
        person = staff.filter(role=role).order_by("pk").first()
        if person is not None:
            return person
    return staff.filter(
        role__in=[r for r in Role.values if r not in ("volunteer", "partner")]
    ).first()


def silence_escalate(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One run of the chain: every watched household whose check-in is overdue moves on to
    the stage its delay has reached, one step per household and run. Returns counts."""
    now = now or timezone.now()
    counts = {"reminded": 0, "alerted": 0, "emergency_visits": 0}
    overdue = CareWatch.objects.filter(stage__lt=CareWatch.Stage.EMERGENCY).select_related(
        "household", "household__dong"
    )
    for watch in overdue:
        late = now - watch.last_check_in_at - dt.timedelta(days=watch.interval_days)
        next_stage = watch.stage + 1
        if late < dt.timedelta(days=STAGE_AFTER_DAYS[next_stage]) or late <= dt.timedelta(0):
            continue
        with transaction.atomic():
            _step(watch, next_stage, now=now, counts=counts)
    return counts


def _step(watch: CareWatch, stage: int, *, now: dt.datetime, counts: dict[str, int]) -> None:
    household = watch.household
    since = timezone.localtime(watch.last_check_in_at).strftime("%Y-%m-%d %H:%M")
    volunteers = ", ".join(v.label for v in household.care_volunteers.all()) or "-"
    responder = _responder(household)
    if stage == CareWatch.Stage.REMINDED:
        kind = TimelineEvent.Kind.SILENCE_REMINDER
        summary = gettext("No check-in since %(since)s; reminded: %(who)s") % {
            "since": since,
            "who": volunteers,
        }
        counts["reminded"] += 1
    elif stage == CareWatch.Stage.ALERTED:
        kind = TimelineEvent.Kind.SILENCE_ALERT
        summary = gettext("No check-in since %(since)s; alerted: %(who)s") % {
            "since": since,
            "who": responder.label if responder else "-",
        }
        counts["alerted"] += 1
    else:
        kind = TimelineEvent.Kind.EMERGENCY_VISIT
        if responder is not None:
            visit_plan(
                actor=responder,
                household=household,
                planned_on=timezone.localdate(now),
                kind=Visit.Kind.HEALTH
                if responder.role == Role.VISITING_NURSE
                else Visit.Kind.INITIAL,
            )
        summary = gettext("No check-in since %(since)s; emergency visit today: %(who)s") % {
            "since": since,
            "who": responder.label if responder else "-",
        }
        counts["emergency_visits"] += 1
    event_record(
        kind=kind,
        dong_id=household.dong_id,
        household=household,
        subject=watch,
        summary=summary,
        occurred_at=now,
    )
    CareWatch.objects.filter(pk=watch.pk).update(stage=stage, stage_at=now)


def silent_households(*, user: User) -> QuerySet[CareWatch]:
    """Who is silent now (an escalation under way), among the households the user may see."""
    return (
        CareWatch.objects.filter(
            household__in=households_visible_to(user), stage__gt=CareWatch.Stage.QUIET
        )
        .select_related("household")
        .prefetch_related("household__members")
        .order_by(F("stage").desc(), "last_check_in_at")
    )
