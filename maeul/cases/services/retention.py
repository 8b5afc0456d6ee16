"""Retention (PIPA art. 21): what `cases` erases of a household when maeul.hub.retention
retires it."""

from __future__ import annotations

from maeul.cases.models import (
    Assessment,
    Conference,
    Goal,
    Linkage,
)


def case_records_erase_text(*, household_id: int) -> None:
    """Retention (PIPA art. 21): the free text of the household's assessments, plan goals,
    conferences and linkages goes; their kinds, dates, dongs, statuses and amounts stay for the
    indicators."""
    Assessment.objects.filter(household_id=household_id).update(summary="")
    Goal.objects.filter(case__household_id=household_id).update(description="")
    Conference.objects.filter(case__household_id=household_id).update(
        participants="", notes="", decisions=""
    )
    Linkage.objects.filter(household_id=household_id).update(description="")
