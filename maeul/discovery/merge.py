"""The household merge, the part of discovery: discovery alone writes these tables, so it moves
its own rows when two records of one household are merged (`people.registry.households_merge`
finds this module through the installed apps) and sends them back on undo.

Leads (reports, uploaded lists, survey leads) of the merged record go to the kept one. A row a
household may hold only once (a unique constraint) makes the database refuse the move, and the
whole merge with it."""

from __future__ import annotations

from collections.abc import Mapping

from maeul.discovery.models import Lead
from maeul.people.models import Household

#: The tables of this app that point to a household.
MODELS = (Lead,)


def _label(model) -> str:
    return f"{model._meta.label}.household"


def move_household(*, source: Household, target: Household) -> dict[str, list[int]]:
    """Move every row of `source` to `target`; returns the ids moved per table (kept on the
    merge record for the undo)."""
    moved: dict[str, list[int]] = {}
    for model in MODELS:
        ids = list(model.objects.filter(household=source).values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(household=target)
            moved[_label(model)] = ids
    return moved


def undo(*, moved: Mapping[str, list[int]], source: Household, target: Household) -> None:
    """Send the rows that moved back to the restored `source` (rows made since stay)."""
    for model in MODELS:
        ids = moved.get(_label(model), [])
        if ids:
            model.objects.filter(pk__in=ids, household=target).update(household=source)
