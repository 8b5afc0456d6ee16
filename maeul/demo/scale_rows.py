"""Row sinks for `seed_scale`: millions of rows with their ids chosen here (the next free id of
each table), written in batches with COPY on PostgreSQL and `maeul.db.bulk_insert` (multi-row
INSERTs) elsewhere. Values are prepared as `bulk_insert` prepares them, and columns the caller
does not name get their Python default, so a COPY row is the row `bulk_insert` would write."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from maeul.db import bulk_insert

_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "FloatField",
    "ForeignKey",
    "OneToOneField",
    "IntegerField",
    "PositiveIntegerField",
    "SmallIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "TextField",
    "DateField",
    "DateTimeField",
    "GenericIPAddressField",
}


def _copy_preparer(field: models.Field):
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind == "JSONField":
        encoder = field.encoder
        return lambda value: json.dumps(value, cls=encoder, ensure_ascii=False)
    return lambda value: field.get_db_prep_save(value, connection)


class Sink:
    """The rows of one table. `new_id()` hands out the next id; `add(row)` takes the values
    in the order of `fields` with the id first; rows are written every `batch` rows and at
    `flush()`."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], batch: int = 20_000):
        self.model = model
        meta = model._meta
        named = [meta.get_field(name) for name in fields]
        self.fields = ["id", *(f.attname for f in named)]
        names = {f.name for f in named} | {f.attname for f in named}
        extra = [
            f
            for f in meta.concrete_fields
            if f.name not in names and not f.primary_key and not f.null
        ]
        now = timezone.now()
        self.defaults = tuple(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in extra
        )
        self.fields += [f.attname for f in extra]
        self.model_fields = [meta.pk, *named, *extra]
        self.batch = batch
        self.rows: list[tuple] = []
        self.count = 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COALESCE(MAX({connection.ops.quote_name(meta.pk.column)}), 0) "
                f"FROM {connection.ops.quote_name(meta.db_table)}"
            )
            self._next = cursor.fetchone()[0] + 1

    def new_id(self) -> int:
        value = self._next
        self._next += 1
        return value

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.count += len(rows)
        if self.defaults:
            rows = [(*row, *self.defaults) for row in rows]
        if connection.vendor != "postgresql":
            bulk_insert(self.model, [f.name for f in self.model_fields], rows)
            return
        preparers = [(i, p) for i, f in enumerate(self.model_fields) if (p := _copy_preparer(f))]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.model_fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(
                f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
            ) as copy:
                for row in rows:
                    if preparers:
                        row = list(row)
                        for i, prepare in preparers:
                            if row[i] is not None:
                                row[i] = prepare(row[i])
                    copy.write_row(row)


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """After ids were chosen here, let the database's own id sequences continue after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def bulk_load(models_: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, load as a bulk loader does, inside the caller's transaction: the
    secondary indexes of the tables are dropped and built again once at the end (one sort
    instead of millions of insertions), and, when the database user may (a superuser, as on
    a benchmark cluster), foreign-key triggers are not fired row by row
    (`session_replication_role = replica`): every key is chosen here from rows written in
    the same run, and `manage.py check_integrity` checks the result. Elsewhere: nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    with connection.cursor() as cursor:
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for _, definition in indexes:
            cursor.execute(definition)
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
