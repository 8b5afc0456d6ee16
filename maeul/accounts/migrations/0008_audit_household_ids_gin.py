"""A GIN index (jsonb_path_ops) on the audit records' `household_ids`, so that the audit search
by household (accounts.selectors.audit_search: `household_ids @> '[id]'`, the list views that
showed the household) reads the index instead of every record. PostgreSQL only: the JSON
containment lookup and GIN exist there alone (SQLite answers the search by `household_id`
only, see `_json_contains_supported`). Not a Meta index: Django would emit `USING gin` on
SQLite too."""

from django.db import migrations

NAME = "accounts_audit_household_ids_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON accounts_auditrecord "
        "USING gin (household_ids jsonb_path_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_safetynetmember_sex"),
    ]

    operations = [migrations.RunPython(create, drop)]
