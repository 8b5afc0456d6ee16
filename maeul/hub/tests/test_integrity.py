"""`manage.py check_integrity`: a consistent database passes; each broken invariant is named
and the command fails."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from maeul.accounts.models import AuditRecord
from maeul.people.models import Household
from tests.scenario import build_scope

pytestmark = pytest.mark.django_db(transaction=False)


def run() -> str:
    out = StringIO()
    call_command("check_integrity", stdout=out)
    return out.getvalue()


def test_a_working_database_is_consistent(dong_a, official, partner_org):
    build_scope(dong_a, official, partner=partner_org)
    assert "The database is consistent." in run()


def test_an_audit_record_of_a_missing_household_fails_the_check(dong_a, official):
    AuditRecord.objects.create(
        user=official,
        username=official.username,
        at=timezone.now(),
        action="view",
        household_id=987_654,
        path="/households/987654/",
    )
    with pytest.raises(CommandError, match="1 problem"):
        run()


def test_a_household_without_members_fails_the_check(dong_a):
    Household.objects.create(dong=dong_a, address="시험로 1", address_key="시험로1")
    with pytest.raises(CommandError):
        call_command("check_integrity", stdout=StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_a_missing_audit_trigger_fails_the_check(dong_a):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER accounts_auditrecord_append_only ON accounts_auditrecord")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_integrity", stdout=out)
    assert "append-only trigger is missing" in out.getvalue()
