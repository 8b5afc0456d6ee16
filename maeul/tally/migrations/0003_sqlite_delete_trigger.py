"""SQLite: a deleted timeline event comes off its day's count by an UPDATE only (`tally/sql.py`
`_sqlite_event_removed`), so a delete never inserts a tally row. The triggers are installed
again from the code; PostgreSQL's are unchanged."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from maeul.tally import services

    services.install_triggers()


class Migration(migrations.Migration):
    dependencies = [("tally", "0002_triggers_and_counts")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
