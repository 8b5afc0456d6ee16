"""Two indexes for reads at scale, found with EXPLAIN (ANALYZE) on a registry of 100,000
residents (docs/production.md, "Scale"):

- `people_household_list_order` (dong_id, address_key, id): the household list's order
  (people.selectors.household_list). A page of the whole list (LIMIT 50) reads the first rows
  of the index; a search's matches are sorted in memory. All databases.
- `people_event_kind_dong_at_cover` (kind, dong_id, occurred_at) INCLUDE (household_id, id):
  the indicators' count of case households (indicators.selectors._case_households) groups
  case events by (dong, household) and counts ids — with both columns in the index it is an
  index-only scan (2,798 buffers of the table -> 54 of the index; 23 ms -> 9 ms). INCLUDE is
  PostgreSQL's (11+): other databases get nothing.

Not Meta indexes: the model's (kind, dong, occurred_at) index is people's to replace; these are
created with IF NOT EXISTS and dropped on reversal."""

from django.db import migrations

LIST_ORDER = "people_household_list_order"
EVENT_COVER = "people_event_kind_dong_at_cover"


def create(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {LIST_ORDER} ON people_household (dong_id, address_key, id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {EVENT_COVER} ON people_timelineevent "
            "(kind, dong_id, occurred_at) INCLUDE (household_id, id)"
        )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {LIST_ORDER}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {EVENT_COVER}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_search_trigram"),
    ]

    operations = [migrations.RunPython(create, drop)]
