"""Writes of the tallies. The event tallies (EventDay, CaseSpan) are kept by the database's
triggers (`tally/sql.py`); the target tallies (TargetSpan, TargetDelta) are replaced household
by household by `targets_refresh`, which `people.coverage` calls in the transaction of every
write that changes who receives a target programme. `rebuild_*` recount everything from
people's rows (the data migration, `manage.py tally_rebuild`, the bulk builders), `problems`
compares every tally with a recount (`manage.py check_integrity`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction

from maeul.tally import sql

#: Households per statement of a refresh (SQLite's and PostgreSQL's parameter limits).
CHUNK = 400


def _ids(values: Iterable[int]) -> list[int]:
    return sorted({int(v) for v in values if v is not None})


def _add_deltas(cursor, deltas: Counter) -> None:
    rows = [(dong, day, n) for (dong, day), n in sorted(deltas.items(), key=str) if n]
    if rows:
        cursor.executemany(sql.DELTA_ADD, rows)


@transaction.atomic
def targets_refresh(*, household_ids: Iterable[int], programmes: Sequence[str]) -> None:
    """Replace the target spans of the residents of these households (and drop those of
    residents who left them) with the spans their receipts give now, and move the day deltas
    by the difference. The caller holds the households' rows locked (`people.coverage`), so
    two refreshes of one household follow each other and the second reads the first's rows."""
    ids = _ids(household_ids)
    vendor = connection.vendor
    deltas: Counter = Counter()
    with connection.cursor() as cursor:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT dong_id, start, stop FROM tally_targetspan WHERE household_id IN ({marks})",
                chunk,
            )
            for dong, start, stop in cursor.fetchall():
                deltas[(dong, start)] -= 1
                if stop is not None:
                    deltas[(dong, stop)] += 1
            cursor.execute(f"DELETE FROM tally_targetspan WHERE household_id IN ({marks})", chunk)
            ctes, spans_select = sql.target_spans(
                vendor, programmes, f"r.household_id IN ({marks})"
            )
            cursor.execute(f"{ctes} {spans_select}", chunk + chunk)
            spans = cursor.fetchall()
            if spans:
                cursor.executemany(
                    "INSERT INTO tally_targetspan (resident_id, household_id, dong_id, start, stop)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    spans,
                )
            for _resident, _household, dong, start, stop in spans:
                deltas[(dong, start)] += 1
                if stop is not None:
                    deltas[(dong, stop)] -= 1
        _add_deltas(cursor, deltas)


def _lock(cursor, *tables: str) -> None:
    """A rebuild waits for the writers that hold tally rows and holds the next back."""
    if connection.vendor == "postgresql":
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")


@transaction.atomic
def rebuild_events() -> None:
    with connection.cursor() as cursor:
        _lock(cursor, "tally_eventday", "tally_casespan")
        cursor.execute("DELETE FROM tally_eventday")
        cursor.execute(
            "INSERT INTO tally_eventday (dong_id, kind, day, n, amount) "
            + sql.event_days_select(connection.vendor)
        )
        cursor.execute("DELETE FROM tally_casespan")
        cursor.execute(
            "INSERT INTO tally_casespan (dong_id, household_id, opened_at, closed_at) "
            + sql.case_spans_select("1 = 1")
        )


@transaction.atomic
def rebuild_targets(*, programmes: Sequence[str]) -> None:
    with connection.cursor() as cursor:
        _lock(cursor, "tally_targetspan", "tally_targetdelta")
        cursor.execute("DELETE FROM tally_targetspan")
        cursor.execute("DELETE FROM tally_targetdelta")
        ctes, spans_select = sql.target_spans(connection.vendor, programmes, "1 = 1")
        cursor.execute(
            f"{ctes} INSERT INTO tally_targetspan (resident_id, household_id, dong_id, start, stop)"
            f" {spans_select}"
        )
        cursor.execute(
            "INSERT INTO tally_targetdelta (dong_id, day, delta) " + sql.DELTAS_FROM_SPANS
        )


@contextmanager
def timeline_triggers_paused() -> Iterator[None]:
    """For a bulk load of the timeline that counts every tally again afterwards
    (`rebuild_events`): on PostgreSQL the triggers are off for the load, inside the caller's
    transaction (the load drops the timeline's indexes, which the case spans' recount needs).
    Elsewhere they stay on."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for name in sql.PG_TRIGGERS:
            cursor.execute(f"ALTER TABLE {sql.EVENTS} DISABLE TRIGGER {name}")
    yield
    with connection.cursor() as cursor:
        for name in sql.PG_TRIGGERS:
            cursor.execute(f"ALTER TABLE {sql.EVENTS} ENABLE TRIGGER {name}")


def install_triggers() -> None:
    with connection.cursor() as cursor:
        for statement in sql.install(connection.vendor):
            cursor.execute(statement)


# --- checks ----------------------------------------------------------------------------------


def _differences(cursor, left: str, right: str) -> int:
    total = 0
    for a, b in ((left, right), (right, left)):
        cursor.execute(f"SELECT COUNT(*) FROM ({a} EXCEPT {b}) d")
        total += cursor.fetchone()[0]
    return total


def problems(*, programmes: Sequence[str]) -> list[str]:
    """Every tally against a recount from people's rows: the triggers exist, each event day,
    case span, target span and day delta is what the rows give (and nothing more)."""
    vendor = connection.vendor
    found = []
    with connection.cursor() as cursor:
        cursor.execute(sql.installed(vendor))
        if cursor.fetchone()[0] != len(sql.triggers(vendor)):
            found.append("the tally triggers on the timeline are missing")
        n = _differences(
            cursor,
            "SELECT dong_id, kind, day, n, amount FROM tally_eventday WHERE n <> 0 OR amount <> 0",
            sql.event_days_select(vendor),
        )
        if n:
            found.append(f"{n} event tally rows differ from a recount of the timeline")
        n = _differences(
            cursor,
            "SELECT dong_id, household_id, opened_at, closed_at FROM tally_casespan",
            sql.case_spans_select("1 = 1"),
        )
        if n:
            found.append(f"{n} case spans differ from a recount of the case events")
        ctes, spans_select = sql.target_spans(vendor, programmes, "1 = 1")
        stored = "SELECT resident_id, household_id, dong_id, start, stop FROM tally_targetspan"
        cursor.execute(f"{ctes} SELECT COUNT(*) FROM ({stored} EXCEPT {spans_select}) d")
        extra = cursor.fetchone()[0]
        cursor.execute(f"{ctes} SELECT COUNT(*) FROM ({spans_select} EXCEPT {stored}) d")
        missing = cursor.fetchone()[0]
        if extra or missing:
            found.append(
                f"{extra + missing} target spans differ from a recount of the benefits received"
            )
        n = _differences(
            cursor,
            "SELECT dong_id, day, delta FROM tally_targetdelta WHERE delta <> 0",
            sql.DELTAS_FROM_SPANS,
        )
        if n:
            found.append(f"{n} target day deltas differ from the target spans")
    return found
