"""Retention (PIPA art. 21): a household whose case management ended more than the retention
period ago, with no sign of life since, loses its personal data. Each app erases its own free
text about the household — `people` the registry and the timeline, `discovery` the leads,
`visits` the visit notes, `cases` assessments, plans, conferences and linkages — so no app
writes another's table. Run monthly by `manage.py apply_retention` (deploy/maeul-retention.*).
The audit trail is never touched (kept at least five years)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from maeul.cases.models import Case, Linkage
from maeul.cases.services import case_records_erase_text
from maeul.discovery.models import Lead
from maeul.discovery.services import leads_erase_text
from maeul.people.models import BenefitReceipt, Household, TimelineEvent
from maeul.people.services import household_anonymise
from maeul.visits.models import Visit
from maeul.visits.services import visits_erase_text


def retention_cutoff(*, today: dt.date, years: int) -> dt.date:
    """The day `years` years before `today` (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def households_due_for_anonymisation(*, today: dt.date, years: int = 5) -> QuerySet[Household]:
    """Households whose case management ended more than `years` years ago and that have shown
    no sign of life since (PIPA art. 21: destroy personal information once its purpose is
    achieved and the retention period has passed; the Social Security Benefits Act's records
    are kept five years). Due: not yet anonymised; at least one case, none open, the last closed
    before the cut-off; no open lead, no planned visit, no pending linkage, no benefit running
    at the cut-off or after, and no timeline event on or after the cut-off.

    A system job's selector (`apply_retention`), not a user's: it has no acting user."""
    cutoff = retention_cutoff(today=today, years=years)
    cutoff_at = dt.datetime.combine(cutoff, dt.time.min, tzinfo=timezone.get_current_timezone())
    own = {"household_id": OuterRef("pk")}
    return (
        Household.objects.filter(anonymised_at__isnull=True)
        .filter(Exists(Case.objects.filter(**own)))
        .exclude(Exists(Case.objects.filter(**own).filter(status=Case.Status.OPEN)))
        .exclude(Exists(Case.objects.filter(**own).filter(closed_at__gte=cutoff_at)))
        .exclude(Exists(Lead.objects.filter(**own).exclude(status=Lead.Status.CLOSED)))
        .exclude(Exists(Visit.objects.filter(**own).filter(status=Visit.Status.PLANNED)))
        .exclude(Exists(Linkage.objects.filter(**own).filter(status__in=Linkage.OPEN_STATUSES)))
        .exclude(
            Exists(
                BenefitReceipt.objects.filter(**own).filter(
                    Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff)
                )
            )
        )
        .exclude(Exists(TimelineEvent.objects.filter(**own).filter(occurred_at__gte=cutoff_at)))
        .order_by("pk")
    )


@transaction.atomic
def household_retire(*, household: Household, at: dt.datetime | None = None) -> bool:
    """Anonymise one household in every app, in one transaction; False when it was done
    before."""
    anonymised = household_anonymise(household=household, at=at or timezone.now())
    if anonymised is None:
        return False
    leads_erase_text(household_id=anonymised.pk, address=anonymised.dong.name)
    visits_erase_text(household_id=anonymised.pk)
    case_records_erase_text(household_id=anonymised.pk)
    return True
