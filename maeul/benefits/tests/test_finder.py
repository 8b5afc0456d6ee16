"""The public benefit finder: no login, nothing stored unless the resident asks for contact."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from maeul.accounts.models import AuditRecord
from maeul.discovery.models import Lead
from maeul.people.models import Household

pytestmark = pytest.mark.django_db

ANSWERS = {
    "ages": "72",
    "region": "metropolitan",
    "earned_income": "0",
    "other_income": "300000",
    "assets_general": "0",
    "assets_financial": "0",
    "debts": "0",
    "car_value": "0",
    "obligors": "none",
    "crisis": "",
}


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_finder_works_without_login_and_stores_nothing(client, dong_a):
    assert client.get("/benefits/finder/").status_code == 200
    response = client.post("/benefits/finder/", ANSWERS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "finder-results" in html and "Basic Pension" in html
    assert "www.bokjiro.go.kr" in html and "1355" in html
    assert "finder-contact" in html
    assert not Lead.objects.exists() and not Household.objects.exists()
    assert not AuditRecord.objects.exists()


def test_finder_refuses_bad_answers_in_place(client, dong_a):
    response = client.post("/benefits/finder/", {**ANSWERS, "ages": "seventy"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "finder-results" not in html and "whole numbers" in html


def test_contact_form_creates_a_resident_lead(client, dong_a):
    response = client.post(
        "/benefits/finder/contact/",
        {
            "reporter_name": "이순자",
            "reporter_phone": "010-1234-5678",
            "dong": dong_a.pk,
            "address": "부산광역시 수영구 망미로 1",
            "programmes": "basic_pension,nbls_livelihood,bogus",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/benefits/finder/thanks/"
    lead = Lead.objects.get()
    assert lead.source == Lead.Source.RESIDENT and lead.dong == dong_a
    assert lead.reporter_phone == "010-1234-5678"
    assert "Basic Pension" in lead.description and "bogus" not in lead.description


def test_contact_form_errors_are_shown_and_nothing_saved(client, dong_a):
    response = client.post("/benefits/finder/contact/", {"reporter_name": "이순자"})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert not Lead.objects.exists()


def test_contact_form_is_rate_limited(client, dong_a):
    data = {
        "reporter_name": "이순자",
        "reporter_phone": "010-1234-5678",
        "dong": dong_a.pk,
        "address": "부산광역시 수영구 망미로 1",
    }
    for _ in range(5):
        client.post("/benefits/finder/contact/", data)
    assert client.post("/benefits/finder/contact/", data).status_code == 429
    assert Lead.objects.count() == 5


def test_honeypot_stores_nothing(client, dong_a):
    data = {
        "reporter_name": "bot",
        "reporter_phone": "1",
        "dong": dong_a.pk,
        "address": "x",
        "website": "http://spam",
    }
    assert client.post("/benefits/finder/contact/", data).status_code == 302
    assert not Lead.objects.exists()
