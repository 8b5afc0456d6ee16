"""The bulk builder of campaign targets: a district-wide survey lists thousands of households
at once (the demo replays Suyeong-gu's), written in one multi-row INSERT per batch with the
same fields `targets_build` and `target_record` write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from maeul.campaigns.models import Target
from maeul.db import bulk_insert


@dataclass(frozen=True)
class NewTarget:
    household_id: int
    dong_id: int
    tong_id: int | None = None
    ban_id: int | None = None
    outcome: str = Target.Outcome.PENDING.value
    team: str = ""
    assignee_id: int | None = None
    visit_id: int | None = None
    linkage_id: int | None = None
    case_id: int | None = None
    answers: dict[str, str] = field(default_factory=dict)
    score: int | None = None
    flagged: bool = False
    reached_at: dt.datetime | None = None


_FIELDS = [
    "campaign",
    "household",
    "dong",
    "tong",
    "ban",
    "outcome",
    "team",
    "assignee",
    "visit",
    "linkage",
    "case",
    "answers",
    "score",
    "flagged",
    "reached_at",
    "updated_at",
    "notes",
]


def targets_bulk_record(*, campaign_id: int, targets: Sequence[NewTarget]) -> int:
    """Write a campaign's targets; "linked" needs the linkage or case that linked it, and a
    stage outside the outcomes is refused, so the funnel's invariants hold for bulk rows too."""
    outcomes = set(Target.Outcome.values)
    for t in targets:
        if t.outcome not in outcomes:
            raise ValueError(f"unknown outcome {t.outcome!r}")
        if t.outcome == Target.Outcome.LINKED and t.linkage_id is None and t.case_id is None:
            raise ValueError("a linked target needs its linkage or case")
    rows = [
        (
            campaign_id,
            t.household_id,
            t.dong_id,
            t.tong_id,
            t.ban_id,
            t.outcome,
            t.team,
            t.assignee_id,
            t.visit_id,
            t.linkage_id,
            t.case_id,
            t.answers,
            t.score,
            t.flagged,
            t.reached_at,
            t.reached_at,
            "",
        )
        for t in targets
    ]
    bulk_insert(Target, _FIELDS, rows)
    return len(rows)
