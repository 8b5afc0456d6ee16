"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit trail, whatever
the application does (ISMS-P 2.9.4: logs protected from tampering)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION maeul_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditrecord
    FOR EACH ROW EXECUTE FUNCTION maeul_audit_refuse_change();
"""
DROP = """
DROP TRIGGER IF EXISTS accounts_auditrecord_append_only ON accounts_auditrecord;
DROP FUNCTION IF EXISTS maeul_audit_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
