"""Who receives a target programme of welfare services, kept exact for the indicators
(`tally.TargetSpan`, `tally.TargetDelta`): after every write that can change it — a receipt
started or ended, a member added or moved, two records merged or the merge undone, the bulk
builders — the writer calls `coverage_refresh` with the households it touched, in its own
transaction. The timeline's tallies need no call: the database keeps them (`tally/sql.py`)."""

from __future__ import annotations

from collections.abc import Iterable

from maeul.people.models import Household, Programme
from maeul.tally import services as tally

#: Programmes that make a person a target of welfare services (seed 003: "beneficiaries of
#: national basic livelihood security, the secondary poor, single-parent households, basic
#: old-age pension, people with disabilities, infants, children in low-income families").
#: Changing this list needs `manage.py tally_rebuild`.
TARGET_PROGRAMMES: tuple[str, ...] = (
    Programme.NBLS_LIVELIHOOD,
    Programme.NBLS_MEDICAL,
    Programme.NBLS_HOUSING,
    Programme.NBLS_EDUCATION,
    Programme.NEAR_POOR,
    Programme.BASIC_PENSION,
    Programme.DISABILITY_PENSION,
    Programme.SINGLE_PARENT,
    Programme.CHILD_ALLOWANCE,
)
_CODES = tuple(str(p.value) for p in TARGET_PROGRAMMES)


def coverage_refresh(*, household_ids: Iterable[int | None]) -> None:
    """Recount the target spans of every member of these households (in the caller's
    transaction). The households' rows are locked first, in id order, so that two writers of
    one household refresh one after the other and the second counts the first's rows."""
    ids = sorted({pk for pk in household_ids if pk is not None})
    if not ids:
        return
    list(Household.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    tally.targets_refresh(household_ids=ids, programmes=_CODES)


def tallies_rebuild() -> None:
    """Count every tally again from the rows (`manage.py tally_rebuild`, the bulk builders)."""
    tally.rebuild_events()
    tally.rebuild_targets(programmes=_CODES)


def tallies_problems() -> list[str]:
    """Every tally against a recount (`manage.py check_integrity`)."""
    return tally.problems(programmes=_CODES)
