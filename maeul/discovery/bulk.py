"""The one bulk builder of lead rows. The high-risk list upload, the rules sweep, the demo and
(later) the screening run register thousands of leads at once; each goes through
`leads_bulk_register`, which writes the rows `lead_register` writes for a known household —
the lead with its due time from its urgency, and the LEAD_MATCHED and LEAD_REGISTERED
events — so a lead looks the same whichever way it came in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from maeul.db import bulk_insert
from maeul.discovery.deadlines import due_at_for
from maeul.discovery.models import CrisisSignal, Lead
from maeul.people.bulk import NewEvent, events_bulk_record
from maeul.people.models import Household, TimelineEvent


@dataclass(frozen=True)
class NewLead:
    """A lead about a household already in the registry (`match` says how it was matched:
    `new` when the household was registered for this very lead)."""

    dong_id: int
    household_id: int
    source: str
    match: str
    subject_name: str
    address: str
    description: str = ""
    urgency: str = Lead.Urgency.NORMAL.value
    crisis_signals: list[str] = field(default_factory=list)
    household_dong_id: int | None = None  # where the matched household lives, if elsewhere


_LEAD_FIELDS = [
    "dong",
    "household",
    "source",
    "urgency",
    "status",
    "match",
    "reported_by",
    "subject_name",
    "address",
    "description",
    "crisis_signals",
    "due_at",
    "created_at",
    "upload",
    "reporter_name",
    "reporter_phone",
    "reporter_relation",
    "close_reason",
]


def leads_bulk_register(
    leads: Sequence[NewLead],
    *,
    actor_id: int | None,
    now: dt.datetime,
    upload_id: int | None = None,
) -> list[int]:
    """Register many new leads with their events; return the lead ids in order."""
    if not leads:
        return []
    due = {u: due_at_for(urgency=u, registered_at=now) for u in Lead.Urgency.values}
    status = Lead.Status.NEW.value
    lead_ids = bulk_insert(
        Lead,
        _LEAD_FIELDS,
        [
            (
                n.dong_id,
                n.household_id,
                n.source,
                n.urgency,
                status,
                n.match,
                actor_id,
                n.subject_name,
                n.address,
                n.description[:5000],
                list(n.crisis_signals),
                due[n.urgency],
                now,
                upload_id,
                "",
                "",
                "",
                "",
            )
            for n in leads
        ],
        returning=True,
    )
    match_labels = {m.value: str(m.label) for m in Lead.Match}
    source_labels = {s.value: str(s.label) for s in Lead.Source}
    events = [
        NewEvent(
            kind=TimelineEvent.Kind.LEAD_MATCHED.value,
            dong_id=n.household_dong_id or n.dong_id,
            household_id=n.household_id,
            actor_id=actor_id,
            subject_type="lead",
            subject_id=lead_id,
            summary=match_labels[n.match],
            occurred_at=now,
        )
        for n, lead_id in zip(leads, lead_ids, strict=True)
        if n.match != Lead.Match.NEW
    ]
    events += [
        NewEvent(
            kind=TimelineEvent.Kind.LEAD_REGISTERED.value,
            dong_id=n.dong_id,
            household_id=n.household_id,
            actor_id=actor_id,
            subject_type="lead",
            subject_id=lead_id,
            summary=source_labels[n.source],
            occurred_at=now,
        )
        for n, lead_id in zip(leads, lead_ids, strict=True)
    ]
    events_bulk_record(events)
    return lead_ids


def lead_row(
    *,
    dong_id: int,
    household: Household,
    source: str,
    match: str,
    urgency: str,
    registered_at: dt.datetime,
    subject_name: str,
    address: str,
    description: str = "",
    crisis_signals: Sequence[str] = (),
    reported_by_id: int | None = None,
    partner_id: int | None = None,
    reporter_name: str = "",
) -> Lead:
    """An unsaved new lead built as `lead_register` builds it (choices checked, due time from
    its urgency), for a generator that replays years of history (the demo district) and saves
    many at once (`household` may be saved in the same batch, after this row is built). Its
    later states are set by the caller as the services would."""
    if source not in Lead.Source.values:
        raise ValueError(f"unknown lead source {source!r}")
    if match not in Lead.Match.values:
        raise ValueError(f"unknown match {match!r}")
    if urgency not in Lead.Urgency.values:
        raise ValueError(f"unknown urgency {urgency!r}")
    unknown = set(crisis_signals) - set(CrisisSignal.values)
    if unknown:
        raise ValueError(f"unknown crisis signals {sorted(unknown)}")
    return Lead(
        dong_id=dong_id,
        household=household,
        source=source,
        urgency=urgency,
        status=Lead.Status.NEW,
        match=match,
        reported_by_id=reported_by_id,
        partner_id=partner_id,
        reporter_name=reporter_name,
        subject_name=subject_name,
        address=address,
        description=description,
        crisis_signals=list(crisis_signals),
        due_at=due_at_for(urgency=urgency, registered_at=registered_at),
        created_at=registered_at,
    )
