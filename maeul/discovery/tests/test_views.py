"""Discovery pages: the queue, staff form, volunteer report, public resident request, access."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord
from maeul.discovery.models import Lead
from maeul.people.models import Household
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_queue_lists_emergency_first_and_marks_overdue(client, official, make_lead):
    normal = make_lead(subject_name="보통씨")
    make_lead(subject_name="긴급씨", urgency="emergency")
    Lead.objects.filter(pk=normal.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    login(client, official)
    response = client.get("/leads/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("긴급씨") < html.index("보통씨")
    assert f'class="overdue" id="lead-{normal.pk}"' in html
    assert 'class="badge emergency"' in html
    assert AuditRecord.objects.filter(action="list").exists()


def test_queue_filters_swap_only_the_table_with_htmx(client, official, make_lead):
    make_lead(subject_name="긴급씨", urgency="emergency")
    make_lead(subject_name="보통씨")
    login(client, official)
    response = client.get("/leads/?urgency=emergency&status=open", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="lead-queue"' in html
    assert "긴급씨" in html and "보통씨" not in html


def test_queue_page_has_htmx_filter_form(client, official):
    login(client, official)
    html = client.get("/leads/").content.decode()
    assert 'hx-get="/leads/"' in html and 'hx-target="#lead-queue"' in html
    assert 'hx-push-url="true"' in html


def test_queue_query_count_does_not_grow_with_leads(
    client, official, make_lead, django_assert_max_num_queries
):
    for i in range(30):
        make_lead(subject_name=f"사람{i}", address=f"망미로 {i}")
    login(client, official)
    with django_assert_max_num_queries(14):
        response = client.get("/leads/")
    assert len(re.findall(r'id="lead-\d', response.content.decode())) == 30


def test_queue_is_paginated_by_50(client, official, make_lead):
    for i in range(51):
        make_lead(subject_name=f"사람{i}", address=f"망미로 {i}")
    login(client, official)
    html = client.get("/leads/").content.decode()
    assert len(re.findall(r'id="lead-\d', html)) == 50 and "page=2" in html


def test_official_does_not_see_leads_of_another_dong(client, official_b, make_lead):
    lead = make_lead()
    login(client, official_b)
    assert lead.subject_name not in client.get("/leads/").content.decode()
    assert client.get(f"/leads/{lead.pk}/").status_code == 404


def test_gu_team_filters_by_dong(client, gu_user, official, official_b, make_lead, dong_b):
    make_lead(subject_name="가동")
    make_lead(actor=official_b, subject_name="나동")
    login(client, gu_user)
    html = client.get(f"/leads/?dong={dong_b.code}").content.decode()
    assert "나동" in html and "가동" not in html


def test_lead_detail_links_household_and_visit_plan(client, official, make_lead):
    lead = make_lead()
    login(client, official)
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f"/households/{lead.household_id}/" in html
    assert f"/visits/plan/?household={lead.household_id}&amp;lead={lead.pk}" in html
    assert AuditRecord.objects.filter(household_id=lead.household_id).exists()


def test_staff_form_shows_errors_next_to_fields(client, official):
    login(client, official)
    response = client.post(
        "/leads/new/",
        {
            "source": "staff",
            "urgency": "normal",
            "subject_name": "",
            "address": "",
            "subject_birth_date": "1999-99-99",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_subject_name_errors"' in html and 'id="id_address_errors"' in html
    assert 'id="id_subject_birth_date_errors"' in html
    assert not Lead.objects.exists()


def test_staff_form_shows_service_errors_in_place(client, official, dong_a):
    login(client, official)
    response = client.post(
        "/leads/new/",
        {
            "dong": dong_a.pk,
            "source": "staff",
            "urgency": "normal",
            "subject_name": "갑",
            "address": "망미로 1",
            "subject_rrn": "12345",
        },
    )
    assert 'id="id_subject_rrn_errors"' in response.content.decode()
    assert not Lead.objects.exists() and not Household.objects.exists()


def test_staff_form_registers_and_assigns(client, official, nurse, dong_a):
    login(client, official)
    response = client.post(
        "/leads/new/",
        {
            "dong": dong_a.pk,
            "source": "staff",
            "urgency": "high",
            "subject_name": "갑",
            "address": "망미로 1",
            "crisis_signals": ["job_loss"],
            "assignee": nurse.pk,
        },
    )
    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    assert lead.assignee == nurse and lead.status == "assigned"


def test_assign_and_close_forms(client, official, nurse, official_b, make_lead):
    lead = make_lead()
    login(client, official)
    bad = client.post(f"/leads/{lead.pk}/assign/", {"assignee": official_b.pk})
    assert bad.status_code == 400 and 'id="id_assignee_errors"' in bad.content.decode()
    assert client.post(f"/leads/{lead.pk}/assign/", {"assignee": nurse.pk}).status_code == 302
    bad = client.post(f"/leads/{lead.pk}/close/", {"reason": ""})
    assert bad.status_code == 400 and 'id="id_reason_errors"' in bad.content.decode()
    assert client.post(f"/leads/{lead.pk}/close/", {"reason": "이미 지원 중"}).status_code == 302
    lead.refresh_from_db()
    assert lead.assignee == nurse and lead.status == "closed"


def test_volunteer_report_on_a_phone_size_form(client, volunteer, dong_a):
    login(client, volunteer)
    page = client.get("/leads/report/").content.decode()
    assert 'name="viewport"' in page and 'class="narrow card volunteer-report"' in page
    assert 'type="radio"' in page and "id_subject_birth_date" not in page
    response = client.post(
        "/leads/report/",
        {
            "subject_name": "302호 할머니",
            "dong": dong_a.pk,
            "address": "망미로 3 302호",
            "description": "며칠째 우편물이 쌓여 있음",
            "urgency": "high",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/leads/report/thanks/"
    lead = Lead.objects.get()
    assert lead.source == "volunteer" and lead.reported_by == volunteer
    assert client.get(response["Location"]).status_code == 200


def test_volunteer_report_errors_in_place(client, volunteer):
    login(client, volunteer)
    response = client.post("/leads/report/", {"subject_name": "", "urgency": "high"})
    html = response.content.decode()
    assert 'id="id_subject_name_errors"' in html and 'id="id_address_errors"' in html
    assert not Lead.objects.exists()


def test_partner_report_is_attributed_to_the_institution(client, partner_user, dong_a):
    login(client, partner_user)
    client.post(
        "/leads/report/",
        {
            "subject_name": "갑",
            "dong": dong_a.pk,
            "address": "망미로 3",
            "description": "x",
            "urgency": "normal",
        },
    )
    lead = Lead.objects.get()
    assert lead.source == "partner" and lead.partner == partner_user.partner


def request_data(dong, **extra):
    data = {
        "reporter_name": "이웃사람",
        "reporter_phone": "010-1234-5678",
        "reporter_relation": "neighbour",
        "subject_name": "옆집 할아버지",
        "dong": dong.pk,
        "address": "망미로 9",
        "description": "난방이 끊긴 것 같아요",
        "website": "",
    }
    data.update(extra)
    return data


def test_resident_request_is_public_and_confirmation_shows_nothing(client, dong_a, household_a):
    assert client.get("/leads/request/").status_code == 200
    response = client.post(
        "/leads/request/", request_data(dong_a, address=household_a.address, subject_name="김영희")
    )
    assert response.status_code == 302 and response["Location"] == "/leads/request/thanks/"
    lead = Lead.objects.get()
    assert lead.source == "resident" and lead.reported_by is None
    assert lead.reporter_relation == "neighbour" and lead.household == household_a
    html = client.get(response["Location"]).content.decode()
    assert "김영희" not in html and household_a.address not in html


def test_resident_request_honeypot_saves_nothing(client, dong_a):
    response = client.post("/leads/request/", request_data(dong_a, website="http://spam"))
    assert response.status_code == 302
    assert not Lead.objects.exists()


def test_resident_request_errors_in_place(client, dong_a):
    response = client.post("/leads/request/", request_data(dong_a, reporter_phone="", address=""))
    html = response.content.decode()
    assert 'id="id_reporter_phone_errors"' in html and 'id="id_address_errors"' in html


def test_resident_request_is_rate_limited(client, dong_a):
    for i in range(5):
        assert (
            client.post("/leads/request/", request_data(dong_a, address=f"망미로 {i}")).status_code
            == 302
        )
    response = client.post("/leads/request/", request_data(dong_a, address="망미로 99"))
    assert response.status_code == 429
    assert Lead.objects.count() == 5


@pytest.mark.parametrize("path", ["/leads/", "/leads/new/", "/leads/upload/"])
@pytest.mark.parametrize("who", ["volunteer", "partner_user"])
def test_staff_pages_do_not_exist_for_volunteers_and_partners(request, client, path, who):
    login(client, request.getfixturevalue(who))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/leads/", "/leads/new/", "/leads/upload/", "/leads/report/"])
def test_anonymous_is_sent_to_login(client, path, db):
    response = client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_volunteer_cannot_open_a_lead_even_their_own(client, volunteer, dong_a):
    login(client, volunteer)
    client.post(
        "/leads/report/",
        {
            "subject_name": "갑",
            "dong": dong_a.pk,
            "address": "망미로 3",
            "description": "x",
            "urgency": "normal",
        },
    )
    assert client.get(f"/leads/{Lead.objects.get().pk}/").status_code == 404


def test_english_ui(client, official):
    login(client, official)
    client.cookies["django_language"] = "en"
    html = client.get("/leads/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Discovery queue" in html
