"""The audit trail: one record per household read, append-only at two levels."""

import pytest
from django.db import DatabaseError, connection, transaction

from maeul.accounts.models import AuditImmutable, AuditRecord

pytestmark = pytest.mark.django_db


def test_api_household_read_writes_exactly_one_audit_record(
    client, api_token, official, household_a
):
    headers = api_token(official)
    assert client.get(f"/api/households/{household_a.pk}", **headers).status_code == 200
    records = list(AuditRecord.objects.filter(household_id=household_a.pk))
    assert len(records) == 1
    assert records[0].username == official.username and records[0].action == "api_view"


def test_out_of_scope_read_is_not_recorded_as_a_read(client, api_token, official_b, household_a):
    headers = api_token(official_b)
    assert client.get(f"/api/households/{household_a.pk}", **headers).status_code == 404
    assert not AuditRecord.objects.filter(household_id=household_a.pk).exists()


def test_application_refuses_to_change_or_delete_audit_records(
    client, api_token, official, household_a
):
    client.get(f"/api/households/{household_a.pk}", **api_token(official))
    record = AuditRecord.objects.get(household_id=household_a.pk)
    record.path = "/forged"
    with pytest.raises(AuditImmutable):
        record.save()
    with pytest.raises(AuditImmutable):
        record.delete()
    with pytest.raises(AuditImmutable):
        AuditRecord.objects.filter(pk=record.pk).update(path="/forged")
    with pytest.raises(AuditImmutable):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get(pk=record.pk).path != "/forged"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_trigger_refuses_raw_update_and_delete(client, api_token, official, household_a):
    client.get(f"/api/households/{household_a.pk}", **api_token(official))
    for sql in ("UPDATE accounts_auditrecord SET path = 'x'", "DELETE FROM accounts_auditrecord"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditRecord.objects.filter(household_id=household_a.pk).count() == 1
