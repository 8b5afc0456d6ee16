"""The household reads per reader and hour (`AuditHour`), kept by a trigger on the audit trail
(`accounts/audit_hours.py`) and counted once from the records already there. The trigger's
SQL is the code's at the time this runs: a later change installs it again in a migration of
its own."""

from django.db import migrations, models


def forward(apps, schema_editor):
    from maeul.accounts import audit_hours

    audit_hours.rebuild()


def backward(apps, schema_editor):
    from maeul.accounts import audit_hours

    with schema_editor.connection.cursor() as cursor:
        for statement in audit_hours.uninstall(schema_editor.connection.vendor):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_role_dong_head"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHour",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("username", models.CharField(max_length=150)),
                ("hour", models.DateTimeField()),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("hour", "username"), name="accounts_audithour_key"
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
