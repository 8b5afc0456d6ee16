"""The audit page's search by household: the household's own reads, and on PostgreSQL the list
views that showed it (`household_ids`, served there by a GIN index, accounts migration 0008);
never records of other households."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from maeul.accounts.models import AuditRecord

pytestmark = pytest.mark.django_db


def record(user, path, *, household_id=None, household_ids=()):
    return AuditRecord.objects.create(
        user=user,
        username=user.username,
        at=timezone.now(),
        action="view" if household_id else "list",
        household_id=household_id,
        household_ids=list(household_ids),
        path=path,
    )


def test_search_by_household_finds_its_reads_and_the_lists_that_showed_it(
    client, admin_user, official
):
    record(official, "/households/7/", household_id=7)
    record(official, "/households/?q=a", household_ids=[3, 7, 11])
    record(official, "/households/8/", household_id=8)
    record(official, "/households/?q=b", household_ids=[70, 17, 8])
    client.force_login(admin_user)
    csv = client.get("/audit/?household=7&format=csv").content.decode()
    assert "/households/7/" in csv
    assert "/households/8/" not in csv and "?q=b" not in csv
    # JSON containment is PostgreSQL's (the list views are found there only)
    assert ("?q=a" in csv) == (connection.vendor == "postgresql")
