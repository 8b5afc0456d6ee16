"""The indicators counted live from people's rows, as they were counted before the tallies
(issue 14): the reference the tallies are tested against (`indicators/tests/test_tally_exact.py`) and
what an operator can compare a tally with by hand. Not used by the pages: at 1,000,000
residents these take seconds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Q, Sum

from maeul.areas.models import Area
from maeul.indicators.selectors import (
    CASE_OPENING,
    EVENT_INDICATORS,
    _bounds,
    indicator_values,
    period_check,
)
from maeul.people.coverage import TARGET_PROGRAMMES
from maeul.people.models import BenefitReceipt, Resident, TimelineEvent


def targets(dong_ids: list[int], end: dt.date) -> dict[int, int]:
    """People receiving a target programme at the end of the period: the named member of a
    receipt, or every member of the household for a household-level receipt.

    Shape: residents whose id is among the running receipts' residents, or whose household is
    among the running household-level receipts' households: two hashed sets built once and
    one pass over the residents (a correlated EXISTS per resident took 3-4 times longer on a
    registry of 100,000 residents on PostgreSQL)."""
    running = (
        BenefitReceipt.objects.filter(programme__in=TARGET_PROGRAMMES, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=end))
        .order_by()
    )
    personal = running.filter(resident__isnull=False).values("resident_id")
    household = running.filter(resident__isnull=True).values("household_id")
    rows = (
        Resident.objects.filter(household__dong_id__in=dong_ids)
        .filter(Q(pk__in=personal) | Q(household_id__in=household))
        .order_by()
        .values("household__dong_id")
        .annotate(n=Count("id"))
    )
    return {r["household__dong_id"]: r["n"] for r in rows}


def case_households(dong_ids: list[int], start: dt.datetime, end: dt.datetime) -> set[tuple]:
    """(dong, household) pairs with a case open at some time in [start, end): opened or
    re-opened in the period, or opened before it and not closed before it started."""
    rows = (
        TimelineEvent.objects.filter(
            dong_id__in=dong_ids,
            household__isnull=False,
            kind__in=(*CASE_OPENING, TimelineEvent.Kind.CASE_CLOSED),
            occurred_at__lt=end,
        )
        .values("dong_id", "household_id")
        .annotate(
            opened_in=Count("id", filter=Q(kind__in=CASE_OPENING, occurred_at__gte=start)),
            last_open=Max("occurred_at", filter=Q(kind__in=CASE_OPENING, occurred_at__lt=start)),
            last_close=Max(
                "occurred_at", filter=Q(kind=TimelineEvent.Kind.CASE_CLOSED, occurred_at__lt=start)
            ),
        )
    )
    pairs = set()
    for r in rows:
        carried = r["last_open"] is not None and (
            r["last_close"] is None or r["last_open"] > r["last_close"]
        )
        if r["opened_in"] or carried:
            pairs.add((r["dong_id"], r["household_id"]))
    return pairs


def event_counts(dong_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict:
    """Events of the counted kinds per dong. The counts read only the (kind, dong,
    occurred_at) index (an index-only scan: no table row is fetched for the hundreds of
    thousands of visits a large gu records in a year); the amounts of the resources
    discovered, a few rows, are summed apart."""
    events = TimelineEvent.objects.filter(
        dong_id__in=dong_ids, occurred_at__gte=start, occurred_at__lt=end
    ).order_by()
    rows = (
        events.filter(kind__in=list(EVENT_INDICATORS))
        .values("dong_id", "kind")
        .annotate(n=Count("*"))
    )
    values: dict[int, dict[str, int]] = defaultdict(dict)
    for r in rows:
        values[r["dong_id"]][EVENT_INDICATORS[r["kind"]]] = r["n"]
    amounts = (
        events.filter(kind=TimelineEvent.Kind.RESOURCE_DISCOVERED)
        .values("dong_id")
        .annotate(amount=Sum("amount"))
    )
    for r in amounts:
        values[r["dong_id"]]["resource_amount"] = r["amount"] or 0
    return values


MEASURED = (
    "targets",
    "case_households",
    "blind_spots",
    "site_visits",
    "linkages",
    "resources",
    "resource_amount",
)


def live_values(*, gu: Area, start: dt.date, end: dt.date) -> dict[int | None, dict[str, int]]:
    """The measures the tallies serve, counted live, per dong (keyed by id) and for the gu
    (None), in the shape of `indicator_values`."""
    start, end = period_check(start, end)
    dong_ids = list(
        Area.objects.filter(parent=gu, level=Area.Level.DONG).values_list("pk", flat=True)
    )
    lower, upper = _bounds(start, end)
    values: dict[int | None, dict[str, int]] = {
        pk: dict.fromkeys(MEASURED, 0) for pk in [*dong_ids, None]
    }
    for dong_id, n in targets(dong_ids, end).items():
        values[dong_id]["targets"] = n
    pairs = case_households(dong_ids, lower, upper)
    for dong_id, _household in pairs:
        values[dong_id]["case_households"] += 1
    for dong_id, counts in event_counts(dong_ids, lower, upper).items():
        values[dong_id].update(counts)
    for dong_id in dong_ids:
        for key in MEASURED:
            if key != "case_households":
                values[None][key] += values[dong_id][key]
    values[None]["case_households"] = len({household for _dong, household in pairs})
    return values


def tallied_values(*, gu: Area, start: dt.date, end: dt.date) -> dict[int | None, dict[str, int]]:
    """The same measures as the pages read them (from the tallies)."""
    return {
        key: {name: row[name] for name in MEASURED}
        for key, row in indicator_values(gu=gu, start=start, end=end).items()
    }
