"""A covering index of the consents in force, for the partner contact's scope at scale
(`people.selectors.referral_consented_q`: each of a partner's referrals asks whether its
household's consent to referral stands), found with EXPLAIN (ANALYZE, BUFFERS) at 1,000,000
residents (docs/production.md, "Scale"):

- `people_consent_active_cover` (household_id) INCLUDE (scopes) WHERE withdrawn_on IS NULL:
  the test reads the index alone (no heap: 7,481 referrals of one partner, 29,492 -> ~20,000
  buffers, with cases 0008's index of the referrals the count is index-only on both sides).
  INCLUDE is PostgreSQL's (11+): other databases get nothing (their household index serves).

Not a Meta index: the consent model is people's to change; created with IF NOT EXISTS and
dropped on reversal."""

from django.db import migrations

ACTIVE_COVER = "people_consent_active_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {ACTIVE_COVER} ON people_consent (household_id) "
            "INCLUDE (scopes) WHERE withdrawn_on IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {ACTIVE_COVER}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_household_dong_cover"),
    ]

    operations = [migrations.RunPython(create, drop)]
