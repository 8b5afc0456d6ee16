"""Shared fixtures: a gu with two dongs (A and B) and one user of every role.

Users of dong A and the gu are what most tests act as; dong B holds the "other scope" objects
that must stay invisible (404)."""

from __future__ import annotations

import pytest

from maeul.accounts.models import Role
from maeul.areas.models import Area
from tests.factories import (
    PASSWORD,
    AreaFactory,
    HouseholdFactory,
    HubFactory,
    PartnerFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def english_by_default():
    """Tests assert behaviour in the English msgids; Korean, the default UI language, has its
    own tests (maeul/accounts/tests/test_i18n.py and the browser tests)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """The test client asks for English, as a browser set to English would."""
    from django.test import Client

    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def gu(db) -> Area:
    sido = AreaFactory(code="2600000000", name="부산광역시", name_en="Busan", level=Area.Level.SIDO)
    return AreaFactory(
        code="2650000000",
        name="수영구",
        name_en="Suyeong-gu",
        level=Area.Level.SIGUNGU,
        parent=sido,
    )


@pytest.fixture
def dong_a(gu) -> Area:
    dong = AreaFactory(code="2650074000", name="망미제1동", name_en="Mangmi 1-dong", parent=gu)
    HubFactory(dong=dong)
    return dong


@pytest.fixture
def dong_b(gu) -> Area:
    dong = AreaFactory(code="2650073000", name="수영동", name_en="Suyeong-dong", parent=gu)
    HubFactory(dong=dong)
    return dong


@pytest.fixture
def partner_org(dong_a):
    return PartnerFactory(area=dong_a, name="망미종합사회복지관")


@pytest.fixture
def official(dong_a):
    return UserFactory(username="official_a", role=Role.WELFARE_OFFICIAL, home_area=dong_a)


@pytest.fixture
def official_b(dong_b):
    return UserFactory(username="official_b", role=Role.WELFARE_OFFICIAL, home_area=dong_b)


@pytest.fixture
def nurse(dong_a):
    return UserFactory(username="nurse_a", role=Role.VISITING_NURSE, home_area=dong_a)


@pytest.fixture
def gu_user(gu, dong_a, dong_b):
    return UserFactory(username="gu_team", role=Role.GU_TEAM, home_area=gu)


@pytest.fixture
def volunteer(dong_a):
    return UserFactory(username="volunteer_a", role=Role.VOLUNTEER, home_area=dong_a)


@pytest.fixture
def council_member(dong_a):
    """A member of dong A's community social security council who signs in (role cssc_member)."""
    return UserFactory(username="council_a", role=Role.CSSC_MEMBER, home_area=dong_a)


@pytest.fixture
def partner_user(partner_org):
    return UserFactory(username="partner_a", role=Role.PARTNER, partner=partner_org)


@pytest.fixture
def household_a(dong_a):
    return HouseholdFactory(dong=dong_a, head="김영희")


@pytest.fixture
def household_b(dong_b):
    return HouseholdFactory(dong=dong_b, head="박철수")


@pytest.fixture
def api_token(client):
    """`api_token(user)` → headers with a bearer token for that user."""

    def issue(user) -> dict:
        response = client.post(
            "/api/auth/token",
            {"username": user.username, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    return issue


@pytest.fixture
def admin_user(gu, dong_a, dong_b):
    return UserFactory(username="auditor_t", role=Role.ADMINISTRATOR, home_area=gu)


@pytest.fixture
def referral_consent(official):
    """`referral_consent(household)`: the household consents to referrals to partners."""
    import datetime as dt

    from maeul.people.services import consent_record

    def give(household, actor=None):
        return consent_record(
            actor=actor or official,
            household=household,
            purpose="referral to partner institutions",
            scopes=["hub", "referral"],
            given_on=dt.date(2026, 1, 2),
        )

    return give


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium for every browser test (tests/e2e and the apps' own), one per
    session: Playwright's sync API allows a single instance per thread."""
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from tests.e2e.conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # themselves are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    user_data = tempfile.mkdtemp(prefix="maeul-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    shutil.rmtree(user_data, ignore_errors=True)
