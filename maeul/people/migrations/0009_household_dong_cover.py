"""A covering index of each household's dong for the staff scope at scale
(`people.selectors.households_visible_q`: a list of cases, assessments or linkages tests the
dong of each row's household), found with EXPLAIN (ANALYZE, BUFFERS) at 1,000,000 residents
(docs/production.md, "Scale"):

- `people_household_id_dong_cover` (id) INCLUDE (dong_id): a gu's 13,768 open cases each probe
  their household's dong in the index alone (3 buffers, no heap: 55,069 -> 41,305 buffers),
  and with that cost the planner probes the cases' households instead of hashing the cases
  against an index scan of all 505,051 households of the gu (case list and `GET /api/cases/`
  for the gu team: 95 + 141 ms of scope joins -> one pass of ~50 ms). INCLUDE is
  PostgreSQL's (11+): other databases get nothing (their primary key index is the same
  without the dong).

Not a Meta index: the household model is people's to change; created with IF NOT EXISTS and
dropped on reversal."""

from django.db import migrations

DONG_COVER = "people_household_id_dong_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {DONG_COVER} ON people_household (id) INCLUDE (dong_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {DONG_COVER}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_search_two_characters"),
    ]

    operations = [migrations.RunPython(create, drop)]
