"""The SQL that keeps the tallies, for PostgreSQL and SQLite: the triggers on people's timeline
(EventDay, CaseSpan), the span query of the targets (TargetSpan, TargetDelta), and the recounts
that rebuild and check them. People's tables are named here as strings, as a foreign key names
a model upward; no module of `people` is imported.

The local day of an event is its date in the hub's time zone (settings.TIME_ZONE): PostgreSQL
converts with the zone's rules; SQLite adds the zone's offset, which is exact for a zone without
summer time (Korea's since 1988) — `local_offset()` refuses a zone that has one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.conf import settings

EVENTS = "people_timelineevent"
OPENING = ("case_opened", "case_reopened")
CLOSING = "case_closed"
CASE_KINDS = (*OPENING, CLOSING)
#: The stop of a span that has not ended, inside the span query only (stored as NULL).
_OPEN_END = "9999-12-31"


def _literals(values: Sequence[str]) -> str:
    for value in values:
        if not re.fullmatch(r"[a-z0-9_]+", value):
            raise ValueError(f"not a code: {value!r}")
    return ", ".join(f"'{v}'" for v in values)


def local_offset() -> dt.timedelta:
    """The hub's offset from UTC, refused when the zone keeps summer time (SQLite's day)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    offsets = {
        dt.datetime(year, month, 15, tzinfo=zone).utcoffset()
        for year in (2000, 2025, 2050)
        for month in (1, 7)
    }
    if len(offsets) != 1:
        raise ValueError(f"{settings.TIME_ZONE} keeps summer time: SQLite's local day is wrong")
    (offset,) = offsets
    assert offset is not None
    return offset


def local_day(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"({column} AT TIME ZONE '{settings.TIME_ZONE}')::date"
    minutes = int(local_offset().total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes')"


# --- case spans ------------------------------------------------------------------------------


def case_spans_select(where: str) -> str:
    """(dong_id, household_id, opened_at, closed_at) of the pairs `where` names (on `e`): for
    each opening, the first closing at or after it; openings ended by the same closing give one
    span from the earliest of them."""
    return (
        "SELECT o.dong_id, o.household_id, MIN(o.occurred_at), o.closed_at FROM ("
        " SELECT e.dong_id, e.household_id, e.occurred_at,"
        f"  (SELECT MIN(x.occurred_at) FROM {EVENTS} x WHERE x.household_id = e.household_id"
        f"   AND x.dong_id = e.dong_id AND x.kind = '{CLOSING}'"
        "   AND x.occurred_at >= e.occurred_at) AS closed_at"
        f" FROM {EVENTS} e WHERE e.kind IN ({_literals(OPENING)})"
        f" AND e.household_id IS NOT NULL AND {where}"
        ") o GROUP BY o.dong_id, o.household_id, o.closed_at"
    )


def event_days_select(vendor: str) -> str:
    day = local_day(vendor, "occurred_at")
    return (
        f"SELECT dong_id, kind, {day}, COUNT(*), COALESCE(SUM(amount), 0) FROM {EVENTS}"
        f" GROUP BY dong_id, kind, {day}"
    )


# --- triggers ----------------------------------------------------------------------------------


def _pg_events(rows: str) -> str:
    day = local_day("postgresql", "occurred_at")
    return (
        "INSERT INTO tally_eventday AS t (dong_id, kind, day, n, amount)"
        f" SELECT dong_id, kind, {day}, SUM(sign), SUM(sign * COALESCE(amount, 0))"
        f" FROM ({rows}) r GROUP BY dong_id, kind, {day}"
        " HAVING SUM(sign) <> 0 OR SUM(sign * COALESCE(amount, 0)) <> 0"
        " ON CONFLICT (dong_id, kind, day) DO UPDATE"
        " SET n = t.n + excluded.n, amount = t.amount + excluded.amount;"
    )


def _pg_cases(tables: Sequence[str]) -> str:
    pairs = " UNION ".join(
        f"SELECT dong_id, household_id FROM {t} WHERE household_id IS NOT NULL"
        f" AND kind IN ({_literals(CASE_KINDS)})"
        for t in tables
    )
    return (
        f"DELETE FROM tally_casespan c USING ({pairs}) p"
        " WHERE c.dong_id = p.dong_id AND c.household_id = p.household_id;"
        " INSERT INTO tally_casespan (dong_id, household_id, opened_at, closed_at) "
        + case_spans_select(f"(e.dong_id, e.household_id) IN ({pairs})")
        + ";"
    )


def _pg_rows(table: str, sign: int) -> str:
    return f"SELECT dong_id, kind, occurred_at, amount, {sign} AS sign FROM {table}"


PG_FUNCTION = "tally_timeline_change"
PG_TRIGGERS = {
    "tally_timeline_insert": ("INSERT", "REFERENCING NEW TABLE AS tally_new"),
    "tally_timeline_delete": ("DELETE", "REFERENCING OLD TABLE AS tally_old"),
    "tally_timeline_update": (
        "UPDATE",
        "REFERENCING OLD TABLE AS tally_old NEW TABLE AS tally_new",
    ),
}


def pg_install() -> list[str]:
    """One statement-level function for the three triggers: a COPY or a multi-row INSERT of
    thousands of events is one grouped upsert, not one per row."""
    body = (
        "BEGIN IF TG_OP = 'INSERT' THEN "
        + _pg_events(_pg_rows("tally_new", 1))
        + _pg_cases(["tally_new"])
        + " ELSIF TG_OP = 'DELETE' THEN "
        + _pg_events(_pg_rows("tally_old", -1))
        + _pg_cases(["tally_old"])
        + " ELSE "
        + _pg_events(f"{_pg_rows('tally_new', 1)} UNION ALL {_pg_rows('tally_old', -1)}")
        + _pg_cases(["tally_new", "tally_old"])
        + " END IF; RETURN NULL; END"
    )
    statements = [
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql"
        f" AS $tally$ {body} $tally$"
    ]
    for name, (event, referencing) in PG_TRIGGERS.items():
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {EVENTS}")
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {EVENTS} {referencing}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        )
    return statements


def pg_uninstall() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name} ON {EVENTS}" for name in PG_TRIGGERS] + [
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"
    ]


def _sqlite_event(row: str, sign: int) -> str:
    return (
        "INSERT INTO tally_eventday (dong_id, kind, day, n, amount) VALUES"
        f" ({row}.dong_id, {row}.kind, {local_day('sqlite', row + '.occurred_at')}, {sign},"
        f" {sign} * COALESCE({row}.amount, 0))"
        " ON CONFLICT (dong_id, kind, day) DO UPDATE"
        " SET n = n + excluded.n, amount = amount + excluded.amount;"
    )


def _sqlite_event_removed(row: str) -> str:
    """A deleted (or changed) event comes off the count its insertion made: an UPDATE only, so
    a delete never adds a row (a flush that empties the areas before the timeline would
    otherwise leave rows of -1 pointing at areas no longer there)."""
    return (
        "UPDATE tally_eventday SET n = n - 1,"
        f" amount = amount - COALESCE({row}.amount, 0)"
        f" WHERE dong_id = {row}.dong_id AND kind = {row}.kind"
        f" AND day = {local_day('sqlite', row + '.occurred_at')};"
    )


def _sqlite_case(row: str) -> str:
    return (
        f"DELETE FROM tally_casespan WHERE dong_id = {row}.dong_id"
        f" AND household_id = {row}.household_id;"
        " INSERT INTO tally_casespan (dong_id, household_id, opened_at, closed_at) "
        + case_spans_select(f"e.dong_id = {row}.dong_id AND e.household_id = {row}.household_id")
        + ";"
    )


def _sqlite_is_case(row: str) -> str:
    return f"{row}.household_id IS NOT NULL AND {row}.kind IN ({_literals(CASE_KINDS)})"


SQLITE_TRIGGERS = {
    "tally_event_insert": f"AFTER INSERT ON {EVENTS} BEGIN {_sqlite_event('NEW', 1)} END",
    "tally_event_delete": f"AFTER DELETE ON {EVENTS} BEGIN {_sqlite_event_removed('OLD')} END",
    "tally_event_update": (
        f"AFTER UPDATE OF dong_id, kind, occurred_at, amount ON {EVENTS} BEGIN "
        f"{_sqlite_event_removed('OLD')} {_sqlite_event('NEW', 1)} END"
    ),
    "tally_case_insert": (
        f"AFTER INSERT ON {EVENTS} WHEN {_sqlite_is_case('NEW')} BEGIN {_sqlite_case('NEW')} END"
    ),
    "tally_case_delete": (
        f"AFTER DELETE ON {EVENTS} WHEN {_sqlite_is_case('OLD')} BEGIN {_sqlite_case('OLD')} END"
    ),
    "tally_case_update_old": (
        f"AFTER UPDATE OF dong_id, household_id, kind, occurred_at ON {EVENTS}"
        f" WHEN {_sqlite_is_case('OLD')} BEGIN {_sqlite_case('OLD')} END"
    ),
    "tally_case_update_new": (
        f"AFTER UPDATE OF dong_id, household_id, kind, occurred_at ON {EVENTS}"
        f" WHEN {_sqlite_is_case('NEW')} BEGIN {_sqlite_case('NEW')} END"
    ),
}


def sqlite_install() -> list[str]:
    statements = []
    for name, body in SQLITE_TRIGGERS.items():
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(f"CREATE TRIGGER {name} {body}")
    return statements


def sqlite_uninstall() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


def install(vendor: str) -> list[str]:
    return pg_install() if vendor == "postgresql" else sqlite_install()


def uninstall(vendor: str) -> list[str]:
    return pg_uninstall() if vendor == "postgresql" else sqlite_uninstall()


def installed(vendor: str) -> str:
    """A query of how many of the triggers exist (to compare with `len(triggers(vendor))`)."""
    if vendor == "postgresql":
        names = ", ".join(f"'{n}'" for n in PG_TRIGGERS)
        return f"SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ({names}) AND NOT tgisinternal"
    names = ", ".join(f"'{n}'" for n in SQLITE_TRIGGERS)
    return f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"


def triggers(vendor: str) -> list[str]:
    return list(PG_TRIGGERS if vendor == "postgresql" else SQLITE_TRIGGERS)


# --- target spans ------------------------------------------------------------------------------


def target_spans(vendor: str, programmes: Sequence[str], where: str) -> tuple[str, str]:
    """(resident_id, household_id, dong_id, start, stop) of the residents `where` names (on
    `r`): the union of the intervals of the target receipts that cover each — their own, and
    their household's household-level ones — as runs of days [start, stop), stop None while
    running. Touching or overlapping intervals join (an interval starting on or before the
    latest stop so far continues the run), so a resident's runs never overlap and the same
    receipts always give the same rows. Returned as the WITH clause and the final SELECT, for
    callers that insert or compare the rows."""
    if vendor == "postgresql":
        stop, inf = "b.ended_on + 1", f"DATE '{_OPEN_END}'"
    else:
        stop, inf = "date(b.ended_on, '+1 day')", f"'{_OPEN_END}'"
    programme_in = _literals(programmes)
    valid = (
        f"b.programme IN ({programme_in})"
        " AND (b.ended_on IS NULL OR b.ended_on >= b.started_on)"
        f" AND {where}"
    )
    return (
        "WITH iv AS ("
        f" SELECT r.id AS rid, r.household_id AS hid, h.dong_id AS dong, b.started_on AS s,"
        f" COALESCE({stop}, {inf}) AS e"
        " FROM people_resident r JOIN people_household h ON h.id = r.household_id"
        f" JOIN people_benefitreceipt b ON b.resident_id = r.id WHERE {valid}"
        " UNION ALL"
        f" SELECT r.id, r.household_id, h.dong_id, b.started_on, COALESCE({stop}, {inf})"
        " FROM people_resident r JOIN people_household h ON h.id = r.household_id"
        " JOIN people_benefitreceipt b ON b.household_id = r.household_id"
        f" AND b.resident_id IS NULL WHERE {valid}"
        "), marked AS ("
        " SELECT rid, hid, dong, s, e, CASE WHEN s <= MAX(e) OVER (PARTITION BY rid ORDER BY s, e"
        " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS brk FROM iv"
        "), grouped AS ("
        " SELECT rid, hid, dong, s, e, SUM(brk) OVER (PARTITION BY rid ORDER BY s, e"
        " ROWS UNBOUNDED PRECEDING) AS g FROM marked)",
        f"SELECT rid, hid, dong, MIN(s), NULLIF(MAX(e), {inf}) FROM grouped"
        " GROUP BY rid, hid, dong, g",
    )


DELTAS_FROM_SPANS = (
    "SELECT dong_id, day, SUM(d) FROM ("
    " SELECT dong_id, start AS day, 1 AS d FROM tally_targetspan"
    " UNION ALL SELECT dong_id, stop, -1 FROM tally_targetspan WHERE stop IS NOT NULL"
    ") x GROUP BY dong_id, day HAVING SUM(d) <> 0"
)

DELTA_ADD = (
    "INSERT INTO tally_targetdelta (dong_id, day, delta) VALUES (%s, %s, %s)"
    " ON CONFLICT (dong_id, day) DO UPDATE SET delta = tally_targetdelta.delta + excluded.delta"
)
