"""Bulk row builders of `people`, for imports of thousands of rows: the high-risk list, the
rules sweep, the screening run and the demo district. They write exactly the rows the
single-row services write (`household_register`, `event_record`), with multi-row INSERTs
(`maeul.db.bulk_insert`). `people` is the one writer of households, residents and timeline
events; other apps call these instead of inserting into its tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from maeul.db import bulk_insert
from maeul.people.models import Household, Resident, TimelineEvent
from maeul.people.services import resident_fill
from maeul.text import normalise_address


@dataclass(frozen=True)
class NewHousehold:
    """A household to register with its head, as `household_register` takes it."""

    dong_id: int
    address: str
    head_name: str
    head_birth_date: dt.date | None = None
    head_rrn: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class NewEvent:
    """One timeline event, as `event_record` writes it (the subject by type name and id)."""

    kind: str
    dong_id: int
    household_id: int | None
    actor_id: int | None
    subject_type: str
    subject_id: int | None
    summary: str
    occurred_at: dt.datetime
    amount: int | None = None


_EVENT_FIELDS = [
    "kind",
    "dong",
    "household",
    "actor",
    "subject_type",
    "subject_id",
    "summary",
    "occurred_at",
    "amount",
]


def events_bulk_record(events: Sequence[NewEvent]) -> None:
    """Append many timeline events in the given order."""
    bulk_insert(
        TimelineEvent,
        _EVENT_FIELDS,
        [
            (
                e.kind,
                e.dong_id,
                e.household_id,
                e.actor_id,
                e.subject_type,
                e.subject_id,
                e.summary[:300],
                e.occurred_at,
                e.amount,
            )
            for e in events
        ],
    )


def households_bulk_register(
    households: Sequence[NewHousehold], *, actor_id: int | None, now: dt.datetime
) -> list[int]:
    """Register many households, each with its head resident (name key, encrypted registration
    number and blind index) and its HOUSEHOLD_REGISTERED event; return their ids in order."""
    if not households:
        return []
    household_ids = bulk_insert(
        Household,
        [
            "dong",
            "address",
            "address_detail",
            "address_key",
            "lat",
            "lon",
            "phone",
            "housing",
            "groups",
            "care_notes",
            "created_at",
            "updated_at",
        ],
        [
            (
                h.dong_id,
                h.address,
                "",
                normalise_address(h.address),
                h.lat,
                h.lon,
                "",
                "",
                [],
                "",
                now,
                now,
            )
            for h in households
        ],
        returning=True,
    )
    residents = []
    for h, household_id in zip(households, household_ids, strict=True):
        head = resident_fill(
            Resident(
                name=h.head_name,
                birth_date=h.head_birth_date,
                relation=Resident.Relation.HEAD.value,
            ),
            rrn=h.head_rrn,
        )
        residents.append(
            (
                household_id,
                head.name,
                head.name_key,
                head.birth_date,
                "",
                "",
                head.relation,
                "",
                head.rrn_encrypted,
                head.rrn_index,
            )
        )
    bulk_insert(
        Resident,
        [
            "household",
            "name",
            "name_key",
            "birth_date",
            "sex",
            "phone",
            "relation",
            "disability",
            "rrn_encrypted",
            "rrn_index",
        ],
        residents,
    )
    events_bulk_record(
        [
            NewEvent(
                kind=TimelineEvent.Kind.HOUSEHOLD_REGISTERED.value,
                dong_id=h.dong_id,
                household_id=household_id,
                actor_id=actor_id,
                subject_type="household",
                subject_id=household_id,
                summary=h.address,
                occurred_at=now,
            )
            for h, household_id in zip(households, household_ids, strict=True)
        ]
    )
    return household_ids
