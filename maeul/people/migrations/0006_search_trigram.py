"""Trigram indexes for the household search by name and address (people.selectors
household_search): `LIKE '%…%'` on the normalised name and address keys is answered from a GIN
index (pg_trgm) on PostgreSQL. pg_trgm is a trusted extension (PostgreSQL 13+): the database's
owner may create it. Other databases: nothing (SQLite scans)."""

from django.db import migrations

INDEXES = (
    ("people_resident_name_key_trgm", "people_resident", "name_key"),
    ("people_household_address_key_trgm", "people_household", "address_key"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_council_review_event"),
    ]

    operations = [migrations.RunPython(create, drop)]
