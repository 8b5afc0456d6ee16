"""Reads of screening, from the acting user: the runs and lists of the dongs they work in."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from maeul.accounts.models import Role, User
from maeul.areas.models import Area
from maeul.cases.models import Assessment
from maeul.cases.selectors import assessments_visible_to
from maeul.people.selectors import dong_ids_of
from maeul.screening.catalogue import signal_name, signal_phrase
from maeul.screening.models import ScreeningEntry, ScreeningRun

YIELD_ROWS = 40  # the most visited signal × dong × age band cells


def screening_dongs_for(user: User) -> list[Area]:
    """Dongs whose lists the user may see: hub staff their dong(s), the gu team the gu's."""
    if not user.is_authenticated or not user.is_hub_staff:
        return []
    return list(Area.objects.filter(pk__in=dong_ids_of(user)).order_by("code"))


def can_run_screening(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.GU_TEAM, Role.ADMINISTRATOR)


def screening_run_shown(*, user: User) -> ScreeningRun | None:
    """The last run asked for that covers a dong of the user's, whatever its state."""
    dong_ids = set(dong_ids_of(user)) if user.is_authenticated and user.is_hub_staff else set()
    for run in ScreeningRun.objects.select_related("actor").defer("metrics")[:20]:
        if dong_ids & set(run.dong_ids):
            return run
    return None


def _entries(run: ScreeningRun, dong_ids: list[int]) -> QuerySet[ScreeningEntry]:
    return (
        ScreeningEntry.objects.filter(run=run, dong_id__in=dong_ids)
        .select_related("household", "lead")
        .order_by("dong_id", "rank")
    )


def screening_run_latest(*, user: User) -> dict[str, Any] | None:
    """The last finished run over the user's dongs: its lists reduced to those dongs, each
    entry with its reasons in plain words, and its figures for the gu team."""
    dongs = screening_dongs_for(user)
    if not dongs:
        return None
    dong_ids = [d.pk for d in dongs]
    run = (
        ScreeningRun.objects.filter(status=ScreeningRun.Status.DONE)
        .select_related("actor")
        .order_by("-finished_at", "-pk")
    )
    latest = next((r for r in run[:20] if set(r.dong_ids) & set(dong_ids)), None)
    if latest is None:
        return None
    by_dong: dict[int, list[dict[str, Any]]] = {d.pk: [] for d in dongs}
    for entry in _entries(latest, dong_ids):
        by_dong[entry.dong_id].append(
            {
                "entry": entry,
                "reasons": [signal_phrase(code, value) for code, value, _c in entry.reasons],
            }
        )
    metrics = latest.metrics or {}
    yield_rows = [
        {**row, "name": signal_name(row["signal"])}
        for row in metrics.get("yield", [])
        if row["dong"] in by_dong
    ][:YIELD_ROWS]
    names = {d.pk: d for d in dongs}
    for row in yield_rows:
        row["dong_area"] = names[row["dong"]]
    return {
        "run": latest,
        "dongs": [{"dong": d, "entries": by_dong[d.pk]} for d in dongs],
        "household_ids": [e["entry"].household_id for rows in by_dong.values() for e in rows],
        "holdout": metrics.get("holdout") or {},
        "yield": yield_rows,
        "listed": sum(len(v) for v in by_dong.values()),
    }


def screening_card(*, user: User) -> dict[str, Any] | None:
    """The gu team's dashboard card: the last finished run over the user's dongs, per dong
    how many it listed, how many of those have been assessed since its day and how many
    were found in need (the hit rate so far). None for anyone who does not run screenings
    or when no run covers their dongs."""
    if not can_run_screening(user):
        return None
    dongs = screening_dongs_for(user)
    dong_ids = {d.pk for d in dongs}
    runs = (
        ScreeningRun.objects.filter(status=ScreeningRun.Status.DONE)
        .defer("metrics")
        .order_by("-finished_at", "-pk")
    )
    run = next((r for r in runs[:20] if dong_ids & set(r.dong_ids)), None)
    if run is None:
        return None
    listed: dict[int, list[int]] = {}
    for dong_id, household_id in ScreeningEntry.objects.filter(
        run=run, dong_id__in=dong_ids
    ).values_list("dong_id", "household_id"):
        listed.setdefault(dong_id, []).append(household_id)
    found: dict[int, bool] = {}  # household → found in need by any assessment since
    for household_id, decision in (
        assessments_visible_to(user)
        .filter(
            household_id__in=[h for hs in listed.values() for h in hs],
            assessed_at__date__gte=run.as_of,
        )
        .values_list("household_id", "decision")
    ):
        found[household_id] = found.get(household_id, False) or (
            decision != Assessment.Decision.NO_NEED
        )
    rows: list[dict[str, Any]] = []
    for dong in dongs:
        households = listed.get(dong.pk, [])
        if not households:
            continue
        assessed = [h for h in households if h in found]
        in_need = sum(found[h] for h in assessed)
        rows.append(
            {
                "dong": dong,
                "listed": len(households),
                "assessed": len(assessed),
                "in_need": in_need,
                "hit_rate": in_need / len(assessed) if assessed else None,
            }
        )
    assessed_total = sum(r["assessed"] for r in rows)
    in_need_total = sum(r["in_need"] for r in rows)
    return {
        "run": run,
        "rows": rows,
        "listed": sum(r["listed"] for r in rows),
        "assessed": assessed_total,
        "in_need": in_need_total,
        "hit_rate": in_need_total / assessed_total if assessed_total else None,
    }
