"""The running count of household reads per reader and clock hour (`AuditHour`), kept by the
database on every insert into the audit trail, and counted again from the trail to build or
check it.

PostgreSQL: one statement-level trigger with the inserted rows as a transition table, so a
bulk insert adds its groups in one upsert (in key order, so that two inserts of the same
hours lock them in the same order). SQLite: a row trigger. The hour is the record's time cut
to the hour in UTC on both (Django stores UTC in SQLite as `YYYY-MM-DD HH:MM:SS[.ffffff]`)."""

from __future__ import annotations

from django.db import connection, transaction

TRAIL = "accounts_auditrecord"
TALLY = "accounts_audithour"
PG_FUNCTION = "maeul_audit_hour_add"
TRIGGER = "accounts_auditrecord_hour"


def _hour(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"date_trunc('hour', {column}, 'UTC')"
    return f"strftime('%Y-%m-%d %H:00:00', {column})"


def _grouped(vendor: str, source: str) -> str:
    """(username, hour, n) of the household reads in `source`, in key order."""
    hour = _hour(vendor, "at")
    return (
        f"SELECT username, {hour} AS hour, COUNT(*) AS n FROM {source}"
        f" WHERE household_id IS NOT NULL GROUP BY username, {hour} ORDER BY 2, 1"
    )


def install(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$ BEGIN"
            f" INSERT INTO {TALLY} (username, hour, n) {_grouped(vendor, 'inserted')}"
            f" ON CONFLICT (hour, username) DO UPDATE SET n = {TALLY}.n + excluded.n;"
            " RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TRAIL}",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON {TRAIL} REFERENCING NEW TABLE AS inserted"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {TRIGGER}",
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON {TRAIL} WHEN NEW.household_id IS NOT NULL"
        f" BEGIN INSERT INTO {TALLY} (username, hour, n)"
        f" VALUES (NEW.username, {_hour(vendor, 'NEW.at')}, 1)"
        " ON CONFLICT (hour, username) DO UPDATE SET n = n + 1; END",
    ]


def uninstall(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TRAIL}",
            f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
        ]
    return [f"DROP TRIGGER IF EXISTS {TRIGGER}"]


def trigger_installed() -> bool:
    if connection.vendor == "postgresql":
        query = "SELECT COUNT(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal"
    else:
        query = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [TRIGGER])
        return cursor.fetchone()[0] == 1


@transaction.atomic
def rebuild() -> int:
    """Count every hour again from the audit trail (the trigger installed first, in the same
    transaction, so no read is missed or counted twice); returns the hours counted."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # inserts wait until the count is in (they would be counted twice, or not at all)
            cursor.execute(f"LOCK TABLE {TRAIL} IN SHARE MODE")
        for statement in install(vendor):
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {TALLY}")
        cursor.execute(f"INSERT INTO {TALLY} (username, hour, n) {_grouped(vendor, TRAIL)}")
        hours = cursor.rowcount
        if vendor == "postgresql":
            cursor.execute(f"ANALYZE {TALLY}")  # plan the alerts' query from the new rows
        return hours


def mismatches() -> int:
    """How many (reader, hour) counts differ from a recount of the trail (0 when exact)."""
    vendor = connection.vendor
    query = (
        f"SELECT COUNT(*) FROM ({_grouped(vendor, TRAIL)}) AS c"
        f" FULL OUTER JOIN {TALLY} t ON t.username = c.username AND t.hour = c.hour"
        " WHERE COALESCE(t.n, 0) <> COALESCE(c.n, 0)"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]
