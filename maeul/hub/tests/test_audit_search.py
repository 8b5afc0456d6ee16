"""The audit page's search by household: the household's own reads, and on PostgreSQL the list
views that showed it (`household_ids`, served there by a GIN index, accounts migration 0008);
never records of other households."""

from __future__ import annotations

import re

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


def test_the_audit_list_pages_without_counting_the_trail(client, admin_user, official):
    """The trail is paged from its newest end, 100 a page, without a total: every record is on
    exactly one page, the last page has no 'next', and a page number that is not a number or
    past the end gives the first page or an empty one, never an error."""
    for k in range(205):
        record(official, f"/households/{k}/", household_id=k + 1)
    client.force_login(admin_user)
    seen = []
    for number in (1, 2, 3):
        body = client.get(f"/audit/?user={official.username}&page={number}").content.decode()
        seen += re.findall(r"<td>#(\d+)</td>", trail(body))
        assert (f"page={number + 1}" in body) == (number < 3)  # no 'next' on the last page
        assert (f"page={number - 1}" in body) == (number > 1)
    # 205 records, each on exactly one page
    assert sorted(map(int, seen)) == list(range(1, 206))
    for bad in ("x", "0", "-3"):
        first = client.get(f"/audit/?user={official.username}&page={bad}")
        assert first.status_code == 200 and "<td>#205</td>" in trail(first.content.decode())
    far = client.get(f"/audit/?user={official.username}&page=99")
    assert far.status_code == 200 and not re.findall(
        r"<td>#(\d+)</td>", trail(far.content.decode())
    )


def trail(body: str) -> str:
    """The page's list of records (after the filters; the alerts above may name households)."""
    return body.split('class="filters"', 1)[1]
