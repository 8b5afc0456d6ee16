"""Accounts and the web: lock-out, two-factor login for staff, CSP, production settings."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_account_locks_after_five_failed_logins(client, settings, official, password):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post("/login/", {"username": official.username, "password": "wrong-password"})
    response = client.post("/login/", {"username": official.username, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_succeeds_before_the_limit(client, settings, official, password):
    settings.AXES_ENABLED = True
    for _ in range(3):
        client.post("/login/", {"username": official.username, "password": "wrong-password"})
    response = client.post("/login/", {"username": official.username, "password": password})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(official.pk)


def test_staff_must_enrol_and_pass_totp_when_required(client, settings, official, password):
    settings.MAEUL_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off between the wrong and the right code
    client.post("/login/", {"username": official.username, "password": password})
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"] == "/otp/"
    enrol = client.get("/otp/")
    assert b"data:image/svg+xml" in enrol.content  # the QR code to scan
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    bad = client.post(
        "/otp/", {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    assert client.post("/otp/", {"token": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/households/").status_code == 200


def test_volunteers_are_not_asked_for_totp(client, settings, volunteer, password):
    settings.MAEUL_REQUIRE_2FA = True
    client.post("/login/", {"username": volunteer.username, "password": password})
    assert client.get("/households/").status_code == 200


def test_api_token_needs_totp_code_for_staff_when_required(client, settings, official, password):
    settings.MAEUL_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=official, name="app", confirmed=True)
    body = {"username": official.username, "password": password}
    response = client.post("/api/auth/token", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "otp_required"
    body["otp"] = current_code(device)
    response = client.post("/api/auth/token", body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["token"]


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "<script>" not in response.content.decode()


def test_short_passwords_are_refused(official):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short1", official)


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **os.environ,
        "MAEUL_ENV": "production",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "MAEUL_FIELD_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "MAEUL_BLIND_INDEX_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "maeul.example.kr",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of the same run
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "MAEUL_FIELD_KEYS"}}
    env["MAEUL_ENV"] = "production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "path", ["/api/cases/?status=%00", "/api/leads/?q=a%00b", "/households/?q=%00"]
)
def test_nul_bytes_are_refused_with_400(client, api_token, official, path):
    headers = api_token(official) if path.startswith("/api/") else {}
    client.force_login(official)
    assert client.get(path, **headers).status_code == 400


def test_nul_byte_in_a_form_field_is_refused(client, official):
    client.force_login(official)
    assert client.post("/leads/new/", {"subject_name": "a\x00b", "address": "x"}).status_code == 400


@pytest.mark.parametrize(
    "api", ["cases", "assessments", "visits", "leads", "linkages", "households", "audit"]
)
def test_absurd_page_numbers_answer_an_empty_page(client, api_token, admin_user, api):
    response = client.get(
        f"/api/{api}/?page=3355909802774298694749341965864665088", **api_token(admin_user)
    )
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["results"] == []


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_next_never_leaves_the_site(
    client, official, partner_org, household_a, referral_consent, target
):
    from maeul.cases.services import linkage_propose

    referral_consent(household_a)
    linkage = linkage_propose(
        actor=official, household=household_a, kind="partner_referral", partner=partner_org
    )
    client.force_login(official)
    response = client.post(
        f"/cases/linkages/{linkage.pk}/status/", {"status": "requested", "next": target}
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_logout_ends_the_session_and_tells_the_browser_to_clear_the_site(client, volunteer):
    client.force_login(volunteer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code in (200, 302)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
