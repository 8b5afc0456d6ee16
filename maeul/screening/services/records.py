"""Writes of the records screening learns from: crisis-signal events received and the
outcomes read from the hubs' visits and assessments (or imported)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.cases.models import Assessment, Case
from maeul.cases.selectors import assessments_visible_to, cases_visible_to
from maeul.db import bulk_insert
from maeul.errors import DomainError
from maeul.screening.models import Outcome, SignalEvent
from maeul.visits.models import Visit
from maeul.visits.selectors import visits_visible_to

# Signals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSignal:
    household_id: int
    dong_id: int
    signal: str
    observed_on: dt.date
    value: float | None = None
    source: str = ""


def signals_bulk_record(signals: Sequence[NewSignal]) -> int:
    """Store received crisis-signal events (a national list's file, the demo); any code."""
    for s in signals:
        if not s.signal or len(s.signal) > 64:
            raise DomainError("invalid_signal", _("A signal code must have 1 to 64 characters."))
    bulk_insert(
        SignalEvent,
        ["household", "dong", "signal", "observed_on", "value", "source"],
        [(s.household_id, s.dong_id, s.signal, s.observed_on, s.value, s.source) for s in signals],
    )
    return len(signals)


# Outcomes ------------------------------------------------------------------------------------


def scoped(actor: User | None, dong_ids: Iterable[int]) -> dict[str, Any]:
    dongs = list(dong_ids)
    if actor is None:
        visits, assessments, cases = Visit.objects.all(), Assessment.objects.all(), Case.objects
        return {
            "visits": visits.filter(dong_id__in=dongs),
            "assessments": assessments.filter(household__dong_id__in=dongs),
            "cases": cases.filter(household__dong_id__in=dongs),
        }
    return {
        "visits": visits_visible_to(actor).filter(dong_id__in=dongs),
        "assessments": assessments_visible_to(actor).filter(household__dong_id__in=dongs),
        "cases": cases_visible_to(actor).filter(household__dong_id__in=dongs),
    }


@transaction.atomic
def outcomes_collect(*, actor: User | None, dong_ids: Iterable[int]) -> int:
    """Read the outcomes the hubs recorded — an assessment (no need: not in need; any other
    decision: in need), a visit refused or that found nobody — into ``Outcome``, once each.
    Returns how many were new."""
    scope = scoped(actor, dong_ids)
    known = {
        (o, i)
        for o, i in Outcome.objects.filter(origin_id__isnull=False).values_list(
            "origin", "origin_id"
        )
    }
    rows = []
    for pk, household_id, dong_id, at, decision in scope["assessments"].values_list(
        "pk", "household_id", "household__dong_id", "assessed_at", "decision"
    ):
        if (Outcome.Origin.ASSESSMENT, pk) in known:
            continue
        result = (
            Outcome.Result.NOT_IN_NEED
            if decision == Assessment.Decision.NO_NEED
            else Outcome.Result.IN_NEED
        )
        day = timezone.localdate(at)
        rows.append((household_id, dong_id, day, result, Outcome.Origin.ASSESSMENT, pk))
    visit_results = {
        Visit.Outcome.REFUSED: Outcome.Result.REFUSED,
        Visit.Outcome.NOT_HOME: Outcome.Result.UNREACHABLE,
        Visit.Outcome.MOVED: Outcome.Result.UNREACHABLE,
    }
    for pk, household_id, dong_id, day, outcome in (
        scope["visits"]
        .filter(status=Visit.Status.DONE, outcome__in=list(visit_results))
        .values_list("pk", "household_id", "dong_id", "planned_on", "outcome")
    ):
        if (Outcome.Origin.VISIT, pk) in known:
            continue
        rows.append((household_id, dong_id, day, visit_results[outcome], Outcome.Origin.VISIT, pk))
    bulk_insert(
        Outcome, ["household", "dong", "observed_on", "result", "origin", "origin_id"], rows
    )
    return len(rows)


@dataclass(frozen=True)
class NewOutcome:
    household_id: int
    dong_id: int
    observed_on: dt.date
    in_need: bool


def outcomes_import(outcomes: Sequence[NewOutcome]) -> int:
    """Store outcomes recorded elsewhere (the national lists' follow-up before maeul; the
    demo's history): labels like the hubs' own."""
    bulk_insert(
        Outcome,
        ["household", "dong", "observed_on", "result", "origin", "origin_id"],
        [
            (
                o.household_id,
                o.dong_id,
                o.observed_on,
                Outcome.Result.IN_NEED if o.in_need else Outcome.Result.NOT_IN_NEED,
                Outcome.Origin.IMPORT,
                None,
            )
            for o in outcomes
        ],
    )
    return len(outcomes)
