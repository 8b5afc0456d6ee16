"""Trigram indexes for a household search of two characters (people.selectors._containing): a
two-character text (a given name such as 영희, the most common search) has no trigram, so
0006's indexes cannot serve it and PostgreSQL scanned every resident (about 0.5 s a search at
1,000,000 residents). The search compares the key with every character written twice instead
(`regexp_replace(key, '(.)', '\\1\\1', 'g') LIKE '%영영희희%'`, the same test), and these
indexes hold that expression's trigrams. Other databases: nothing (SQLite scans)."""

from django.db import migrations

INDEXES = (
    ("people_resident_name_key_twice_trgm", "people_resident", "name_key"),
    ("people_household_address_key_twice_trgm", "people_household", "address_key"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin "
            f"((regexp_replace({column}, '(.)', '\\1\\1', 'g')) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_list_order_and_case_event_cover"),
    ]

    operations = [migrations.RunPython(create, drop)]
