"""Helpers of the benefits tests: means records with every money field known."""

from __future__ import annotations

import datetime as dt

from maeul.benefits.models import MONEY_FIELDS, MeansRecord


def means_for(household, **values) -> list[MeansRecord]:
    """A known means record for every member (zeros unless given)."""
    return [
        MeansRecord.objects.create(
            resident=member,
            household=household,
            recorded_on=dt.date(2026, 11, 1),
            **{field: values.get(field, 0) for field in MONEY_FIELDS},
        )
        for member in household.members.all()
    ]
