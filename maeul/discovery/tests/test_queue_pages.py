"""The lead queue pages its ids on the leads alone and loads only the page's rows
(`lead_queue_ids` + `leads_in_order`): the same leads in the same order as `lead_queue`, no
lead lost or repeated across pages (ties on urgency and due time broken by id), the same scope
and one audit record per page naming exactly the page's households."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord
from maeul.discovery import views
from maeul.discovery.models import Lead
from maeul.discovery.selectors import lead_queue, lead_queue_ids, leads_in_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(make_lead, official, official_b):
    """Eleven leads of dong A with ties on (urgency rank, due time), some closed, and two of
    dong B that official A must never see."""
    due = timezone.now() + dt.timedelta(days=2)
    leads = []
    for i, urgency in enumerate(
        ["normal", "emergency", "high", "normal", "emergency"] * 2 + ["high"]
    ):
        lead = make_lead(address=f"망미로 {i}", subject_name=f"사람{i}", urgency=urgency)
        leads.append(lead)
    # three leads share one due time per urgency rank: the id decides
    Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(due_at=due)
    Lead.objects.filter(pk=leads[3].pk).update(due_at=due - dt.timedelta(hours=5))
    Lead.objects.filter(pk__in=[leads[5].pk, leads[8].pk]).update(status=Lead.Status.CLOSED)
    for i in range(2):
        make_lead(actor=official_b, address=f"수영로 {i}", urgency="emergency")
    return leads


def _expected(user, **filters):
    return [lead.pk for lead in lead_queue(user=user, **filters)]


def test_ids_then_rows_give_the_queue(queue, official):
    for filters in [{}, {"status": "open"}, {"urgency": "high"}, {"status": "closed"}]:
        ids = list(lead_queue_ids(user=official, **filters))
        assert ids == _expected(official, **filters)
        rows = leads_in_order(user=official, ids=ids)
        assert [lead.pk for lead in rows] == ids
    # emergencies first, then due time, then id
    ids = list(lead_queue_ids(user=official))
    emergencies = [lead.pk for lead in queue if lead.urgency == "emergency"]
    assert ids[: len(emergencies)] == sorted(emergencies)


def test_rows_keep_the_scope(queue, official, official_b):
    other = list(lead_queue_ids(user=official_b))
    assert len(other) == 2
    assert leads_in_order(user=official, ids=other) == []
    mixed = [other[0], queue[0].pk]
    assert [lead.pk for lead in leads_in_order(user=official, ids=mixed)] == [queue[0].pk]


def test_page_walks_every_open_lead_once(client, official, queue, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    client.force_login(official)
    seen: list[int] = []
    before = AuditRecord.objects.count()
    for page in [1, 2, 3]:
        response = client.get(f"/leads/?page={page}")
        assert response.status_code == 200
        rows = response.context["leads"]
        seen += [lead.pk for lead in rows]
        record = AuditRecord.objects.order_by("-pk").first()
        assert sorted(record.household_ids) == sorted(lead.household_id for lead in rows)
    assert AuditRecord.objects.count() == before + 3
    assert seen == _expected(official, status="open")
    assert len(seen) == len(set(seen)) == 9
    # past the end shows the last page, a word the first
    last = client.get("/leads/?page=99").context["leads"]
    assert [lead.pk for lead in last] == seen[8:]
    first = client.get("/leads/?page=x").context["leads"]
    assert [lead.pk for lead in first] == seen[:4]


def test_api_walks_every_lead_once(client, api_token, official, queue):
    headers = api_token(official)
    seen: list[int] = []
    for page in [1, 2, 3, 4]:
        body = client.get(f"/api/leads/?page={page}&page_size=3", **headers).json()
        assert body["count"] == 11 and body["page"] == page
        seen += [row["id"] for row in body["results"]]
        record = AuditRecord.objects.order_by("-pk").first()
        assert record.action == "api_list"
        assert record.household_ids == [row["household_id"] for row in body["results"]]
    assert seen == _expected(official)
    assert len(set(seen)) == 11
    body = client.get("/api/leads/?page=5&page_size=3", **headers).json()
    assert body["results"] == [] and body["count"] == 11
