"""Multi-row INSERTs for imports of thousands of rows (the high-risk list, the rules sweep, the demo).

`QuerySet.bulk_create` prepares every value of every instance through the field API (about
3 µs a value, 2–3 s for the 10,000 leads, households, residents and 20,000 events of one
high-risk list). Here the columns are prepared once per column kind: text and numbers go as
they are, dates, times and JSON through the backend's own adapters (`connection.ops`), so the
stored values are the ones bulk_create would store. Primary keys come back with RETURNING
(SQLite ≥ 3.35, PostgreSQL), as bulk_create gets them; elsewhere it falls back to bulk_create.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

#: Column kinds passed to the driver unchanged.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _preparer(field: models.Field):
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    return lambda value: field.get_db_prep_save(value, connection)


def _cacheable(field: models.Field) -> bool:
    """Dates and times repeat across an import (one registration time, shared birth dates)."""
    return field.get_internal_type() in {"DateTimeField", "DateField"}


def _max_params() -> int:
    """Bind parameters per statement: SQLite's compiled limit where it tells it (Django
    assumes the old default of 999), else the backend's, else PostgreSQL's 65,535 less room."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        try:
            return min(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 30_000)
        except AttributeError:  # Python < 3.11
            pass
    return connection.features.max_query_params or 30_000


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence],
    *,
    returning: bool = False,
) -> list[int]:
    """Insert `rows` (values in the order of `fields`, foreign keys as ids, None for NULL);
    return the new primary keys in row order when `returning`."""
    if not rows:
        return []
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    # Columns the caller did not name get their Python default, as bulk_create gives them (a
    # column added to the model later is then filled, not left NULL).
    named = {f.name for f in model_fields}
    extra = [
        f for f in meta.concrete_fields if f.name not in named and not f.primary_key and not f.null
    ]
    if extra:
        now = timezone.now()
        defaults = [
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in extra
        ]
        model_fields += extra
        rows = [(*row, *defaults) for row in rows]
        fields = [*fields, *(f.name for f in extra)]
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        objects = model._default_manager.bulk_create(
            [
                model(**{f.attname: v for f, v in zip(model_fields, row, strict=True)})
                for row in rows
            ]
        )
        return [obj.pk for obj in objects]
    preparers = [(i, p, _cacheable(f)) for i, f in enumerate(model_fields) if (p := _preparer(f))]
    if preparers:
        cache: dict = {}
        prepared = []
        for row in rows:
            row = list(row)
            for i, prepare, cacheable in preparers:
                value = row[i]
                if value is None:
                    continue
                if not cacheable:
                    row[i] = prepare(value)
                    continue
                key = (i, value)
                if key not in cache:
                    cache[key] = prepare(value)
                row[i] = cache[key]
            prepared.append(row)
        rows = prepared
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model_fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    max_params = _max_params()
    per_statement = max(1, max_params // len(fields))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                + ", ".join([placeholder] * len(chunk))
                + suffix
            )
            cursor.execute(sql, [value for row in chunk for value in row])
            if returning:
                ids.extend(pk for (pk,) in cursor.fetchall())
    return ids
