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


@pytest.mark.parametrize(
    "who,purpose",
    [("official", "case_work"), ("gu_user", "supervision"), ("volunteer", "care_visit")],
)
def test_reads_record_the_purpose_of_the_reader(request, client, who, purpose, household_a):
    user = request.getfixturevalue(who)
    household_a.care_volunteers.add(request.getfixturevalue("volunteer"))
    client.force_login(user)
    client.get(f"/households/{household_a.pk}/")
    assert (
        AuditRecord.objects.get(household_id=household_a.pk, username=user.username).purpose
        == purpose
    )


def test_a_stated_purpose_is_recorded(client, official, household_a):
    client.force_login(official)
    client.get(f"/households/{household_a.pk}/?purpose=visit")
    client.get(f"/households/{household_a.pk}/?purpose=<script>")
    purposes = list(
        AuditRecord.objects.filter(household_id=household_a.pk).values_list("purpose", flat=True)
    )
    assert sorted(purposes) == ["case_work", "visit"]  # an unknown purpose is not taken as typed
