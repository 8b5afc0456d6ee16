"""Exact running totals of the registry that the indicators read instead of counting a
million rows per request (issue 14). Each is derived from people's rows by code, in the same
transaction as every write of those rows, and can be rebuilt and checked against a recount at
any time (`manage.py tally_rebuild`, `manage.py check_integrity`). They are not caches: there
is no time to live and nothing is ever stale; a write that changes a count changes its tally
before it commits, or the write does not happen.

Residents and households are named by plain integer ids: `tally` sits below `people` and
imports nothing of it (people calls `tally.services`; the database keeps the event tallies,
`tally/sql.py`)."""

from __future__ import annotations

from django.db import models


class EventDay(models.Model):
    """Timeline events of one kind in one dong on one Korea-local day, and their amounts.
    Kept by a database trigger on every insert, delete and update of `people_timelineevent`
    (`tally/sql.py`), so no writer of events can leave it behind."""

    dong = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24)
    day = models.DateField()
    n = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dong", "kind", "day"], name="tally_eventday_key")
        ]


class CaseSpan(models.Model):
    """A time a household's case was open in a dong, as its case events tell it: from an
    opening (the earliest of those that the same closing ends) to the first closing at or after
    it (None: still open). A household is a case household of a period [s, e) when one of its
    spans has `opened_at < e` and `closed_at >= s` (or None) — the same as an opening in the
    period, or the last opening before it later than the last closing before it. Kept by the
    same trigger as EventDay."""

    dong = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    household_id = models.BigIntegerField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["dong", "household_id"], name="tally_casespan_pair")]


class TargetSpan(models.Model):
    """A run of days on which a resident receives a target programme (personally, or through
    a household-level receipt of their household): the union of those receipts' intervals,
    from `start` to the day before `stop` (None: still running). Replaced household by
    household whenever receipts, members or households change (`people.coverage`)."""

    resident_id = models.BigIntegerField()
    household_id = models.BigIntegerField(db_index=True)
    dong = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    stop = models.DateField(null=True, blank=True)


class TargetDelta(models.Model):
    """+1 per span starting, -1 per span stopping, per dong and day: the people receiving a
    target programme on day D in a dong are the sum of `delta` over the days up to D."""

    dong = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    delta = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dong", "day"], name="tally_targetdelta_key")
        ]
