"""The endpoints the phone's outbox sends to: idempotent by the key the phone made, scoped,
and clear about bad input without writing anything."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from maeul.accounts.models import Role
from maeul.discovery.models import Lead
from maeul.offline.models import OfflineSubmission
from maeul.visits.models import Visit
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORTS = "/offline/api/reports/"


def report(area, **changes) -> dict:
    body = {
        "key": str(uuid.uuid4()),
        "subject_name": "302호 할머니",
        "dong": area.pk,
        "address": "망미로 12, 302호",
        "description": "며칠째 우편물이 쌓여 있음",
        "urgency": "high",
        "written_at": timezone.now().isoformat(),
    }
    body.update(changes)
    return body


def post(client, url, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def care_url(household) -> str:
    return f"/offline/api/care/{household.pk}/visits/"


def test_report_creates_one_lead_and_a_resend_returns_the_same(client, volunteer, dong_a):
    client.force_login(volunteer)
    body = report(dong_a)
    first = post(client, REPORTS, body)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "created"
    lead = Lead.objects.get(pk=first.json()["lead_id"])
    assert (lead.reported_by, lead.source, lead.urgency) == (volunteer, "volunteer", "high")
    assert lead.subject_name == "302호 할머니"

    again = post(client, REPORTS, body)
    assert again.status_code == 200
    assert again.json() == {"lead_id": lead.pk, "status": "duplicate"}
    assert Lead.objects.count() == 1
    row = OfflineSubmission.objects.get()
    assert (row.user, str(row.key), row.kind, row.result_id) == (
        volunteer,
        body["key"],
        "report",
        lead.pk,
    )


def test_two_keys_make_two_leads(client, volunteer, dong_a):
    client.force_login(volunteer)
    a = post(client, REPORTS, report(dong_a)).json()["lead_id"]
    b = post(client, REPORTS, report(dong_a)).json()["lead_id"]
    assert a != b
    assert Lead.objects.count() == 2


def test_a_key_is_the_users_own(client, volunteer, dong_a):
    """Another volunteer's phone making the same UUID (or replaying one) gets its own lead."""
    other = UserFactory(username="volunteer_a2", role=Role.VOLUNTEER, home_area=dong_a)
    body = report(dong_a)
    client.force_login(volunteer)
    mine = post(client, REPORTS, body).json()["lead_id"]
    client.force_login(other)
    theirs = post(client, REPORTS, body)
    assert theirs.status_code == 201
    assert theirs.json()["lead_id"] != mine


def test_same_key_other_content_is_refused(client, volunteer, dong_a):
    client.force_login(volunteer)
    body = report(dong_a)
    post(client, REPORTS, body)
    response = post(client, REPORTS, {**body, "subject_name": "다른 사람"})
    assert response.status_code == 400
    assert response.json()["code"] == "key_reused"
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"subject_name": ""}, "subject_name"),
        ({"address": "   "}, "address"),
        ({"urgency": "whenever"}, "urgency"),
        ({"key": "not-a-uuid"}, "key"),
        ({"dong": 999999}, "dong"),
        ({"description": "x" * 2001}, "description"),
        ({"written_at": "yesterday-ish"}, "written_at"),
    ],
)
def test_bad_report_is_a_clear_400_and_writes_nothing(client, volunteer, dong_a, changes, field):
    client.force_login(volunteer)
    response = post(client, REPORTS, report(dong_a, **changes))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == field
    assert body["detail"]
    assert not Lead.objects.exists()
    assert not OfflineSubmission.objects.exists()


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", ""])
def test_not_json_is_a_clear_400(client, volunteer, raw):
    client.force_login(volunteer)
    response = post(client, REPORTS, raw)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_a_form_post_is_a_clear_400(client, volunteer, dong_a):
    client.force_login(volunteer)
    response = client.post(REPORTS, report(dong_a))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert not Lead.objects.exists()


def test_a_dong_of_another_gu_is_refused(client, volunteer, dong_a):
    from maeul.areas.models import Area
    from tests.factories import AreaFactory

    gu2 = AreaFactory(code="2635000000", name="해운대구", level=Area.Level.SIGUNGU)
    far = AreaFactory(code="2635051000", name="우동", parent=gu2)
    client.force_login(volunteer)
    response = post(client, REPORTS, report(dong_a, dong=far.pk))
    assert response.status_code == 400 and response.json()["field"] == "dong"
    assert not Lead.objects.exists()


def test_expired_session_is_401_json(client, dong_a):
    response = post(client, REPORTS, report(dong_a))
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
    assert not Lead.objects.exists()


def test_staff_are_refused(client, official, dong_a):
    client.force_login(official)
    response = post(client, REPORTS, report(dong_a))
    assert response.status_code == 403
    assert not Lead.objects.exists()


def test_csrf_is_enforced_and_the_page_token_works(volunteer, dong_a):
    browser = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    browser.force_login(volunteer)
    refused = post(browser, REPORTS, report(dong_a))
    assert refused.status_code == 403
    page = browser.get("/offline/report/")
    token = page.context["csrf"]
    ok = browser.post(
        REPORTS,
        json.dumps(report(dong_a)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert ok.status_code == 201
    fresh = browser.get("/offline/api/session/").json()
    assert fresh["user"] == volunteer.pk and fresh["csrf_token"]


def test_partner_report_is_a_partner_lead(client, partner_user, dong_a):
    client.force_login(partner_user)
    response = post(client, REPORTS, report(dong_a))
    assert response.status_code == 201
    lead = Lead.objects.get()
    assert lead.source == "partner" and lead.partner_id == partner_user.partner_id


# --- care visits -------------------------------------------------------------------------


def test_care_visit_is_recorded_once(client, volunteer, care_household):
    client.force_login(volunteer)
    visited = timezone.now() - dt.timedelta(hours=3)
    body = {"key": str(uuid.uuid4()), "notes": "잘 지내심", "written_at": visited.isoformat()}
    first = post(client, care_url(care_household), body)
    assert first.status_code == 201, first.content
    visit = Visit.objects.get(pk=first.json()["visit_id"])
    assert (visit.household, visit.kind, visit.outcome) == (care_household, "care", "met")
    assert visit.planned_on == timezone.localdate(visited)
    again = post(client, care_url(care_household), body)
    assert again.status_code == 200 and again.json()["visit_id"] == visit.pk
    assert Visit.objects.count() == 1


def test_another_volunteers_care_household_is_404(client, volunteer, dong_a):
    colleague = UserFactory(username="volunteer_a2", role=Role.VOLUNTEER, home_area=dong_a)
    theirs = HouseholdFactory(dong=dong_a)
    theirs.care_volunteers.add(colleague)
    client.force_login(volunteer)
    response = post(client, care_url(theirs), {"key": str(uuid.uuid4()), "notes": ""})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Visit.objects.exists() and not OfflineSubmission.objects.exists()


def test_a_household_she_reported_is_not_hers_to_check_in(client, volunteer, dong_a):
    """She sees the households of her own reports, but care visits only go to her care
    households."""
    client.force_login(volunteer)
    lead_id = post(client, REPORTS, report(dong_a)).json()["lead_id"]
    household = Lead.objects.get(pk=lead_id).household
    response = post(client, care_url(household), {"key": str(uuid.uuid4())})
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_care_visit_bad_input_writes_nothing(client, volunteer, care_household):
    client.force_login(volunteer)
    too_old = (timezone.now() - dt.timedelta(days=8)).isoformat()
    cases = [
        ({"key": "x"}, "key"),
        ({"key": str(uuid.uuid4()), "notes": "x" * 301}, "notes"),
        ({"key": str(uuid.uuid4()), "written_at": too_old}, "visited_at"),
    ]
    for body, field in cases:
        response = post(client, care_url(care_household), body)
        assert response.status_code == 400, body
        assert response.json()["field"] == field
    assert not Visit.objects.exists() and not OfflineSubmission.objects.exists()


def test_a_clock_ahead_is_taken_as_now(client, volunteer, care_household):
    client.force_login(volunteer)
    ahead = (timezone.now() + dt.timedelta(minutes=3)).isoformat()
    response = post(
        client, care_url(care_household), {"key": str(uuid.uuid4()), "written_at": ahead}
    )
    assert response.status_code == 201
    far = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = post(client, care_url(care_household), {"key": str(uuid.uuid4()), "written_at": far})
    assert response.status_code == 400 and response.json()["code"] == "visited_in_future"


def test_two_sends_racing_make_one_lead(client, volunteer, dong_a, monkeypatch):
    """The second of two simultaneous sends passes the look-up before the first commits; the
    unique key then rolls its lead back and it answers with the first one's id."""
    from maeul.offline import services

    client.force_login(volunteer)
    body = report(dong_a)
    first = post(client, REPORTS, body).json()["lead_id"]
    real = services.submission_of
    calls = []

    def late(*, user, key):
        calls.append(key)
        return None if len(calls) == 1 else real(user=user, key=key)

    monkeypatch.setattr(services, "submission_of", late)
    second = post(client, REPORTS, body)
    assert len(calls) == 2
    assert second.status_code == 200
    assert second.json() == {"lead_id": first, "status": "duplicate"}
    assert Lead.objects.count() == 1
    assert OfflineSubmission.objects.count() == 1
