"""Reads of screening, from the acting user: the runs and lists of the dongs they work in."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from maeul.accounts.models import Role, User
from maeul.areas.models import Area
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
