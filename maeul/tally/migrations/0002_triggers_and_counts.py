"""The triggers that keep the event tallies (`tally/sql.py`), and every tally counted once from
the rows already there (at 1,000,000 residents a few minutes). The target programmes are
written out here as they were when this migration was made (`people.coverage`): a migration
does not follow later code; when they change, `manage.py tally_rebuild` counts again."""

from django.db import migrations

TARGET_PROGRAMMES = (
    "nbls_livelihood",
    "nbls_medical",
    "nbls_housing",
    "nbls_education",
    "near_poor",
    "basic_pension",
    "disability_pension",
    "single_parent",
    "child_allowance",
)


def forward(apps, schema_editor):
    from maeul.tally import services

    services.install_triggers()
    services.rebuild_events()
    services.rebuild_targets(programmes=TARGET_PROGRAMMES)


def backward(apps, schema_editor):
    from maeul.tally import sql

    for statement in sql.uninstall(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("tally", "0001_initial"),
        ("people", "0008_search_two_characters"),
    ]

    operations = [migrations.RunPython(forward, backward)]
