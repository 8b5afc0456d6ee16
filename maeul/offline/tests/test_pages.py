"""The app's pages, manifest and service worker."""

from __future__ import annotations

import pytest

from maeul.accounts.models import AuditRecord
from maeul.offline.views import OUTBOX_TTL

pytestmark = pytest.mark.django_db


def test_pages_for_the_volunteer(client, volunteer, care_household):
    client.force_login(volunteer)
    home = client.get("/offline/")
    assert home.status_code == 200
    html = home.content.decode()
    assert 'rel="manifest"' in html and "offline/app.js" in html
    assert 'id="offline-strings"' in html
    assert "no-store" in home["Cache-Control"]
    report = client.get("/offline/report/")
    assert 'data-kind="report"' in report.content.decode()
    care = client.get("/offline/care/")
    body = care.content.decode()
    assert "홀로순" in body and f"/offline/api/care/{care_household.pk}/visits/" in body
    assert AuditRecord.objects.filter(user=volunteer, action="list").exists()


def test_staff_and_anonymous_do_not_get_the_app(client, official):
    assert client.get("/offline/").status_code == 302
    client.force_login(official)
    assert client.get("/offline/").status_code == 403


def test_service_worker_scope_and_assets(client):
    response = client.get("/offline/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/offline/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    for asset in (
        "/static/offline/app.js",
        "/static/css/maeul.css",
        "/static/offline/icon-192.png",
    ):
        assert f'"{asset}"' in body
    assert '"/offline/", "/offline/report/", "/offline/care/"' in body
    assert "https://" not in body  # nothing from elsewhere
    # Background Sync: the worker sends the outbox with the pages' own code, as the account
    # the session answers for, and keeps items no longer than the app's TTL.
    assert 'importScripts("/static/offline/outbox.js")' in body
    assert 'addEventListener("sync"' in body
    assert 'const SESSION_URL = "/offline/api/session/";' in body
    assert f"const OUTBOX_TTL = {OUTBOX_TTL};" in body


def test_pages_carry_the_outbox_ttl(client, volunteer):
    client.force_login(volunteer)
    html = client.get("/offline/report/").content.decode()
    assert f'data-ttl="{OUTBOX_TTL}"' in html
    assert html.index("offline/outbox.js") < html.index("offline/app.js")  # app.js uses it


def test_manifest(client):
    response = client.get("/offline/manifest.webmanifest", headers={"Accept-Language": "ko"})
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["start_url"] == data["scope"] == "/offline/"
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}


def test_logout_form_is_hooked(client, volunteer):
    client.force_login(volunteer)
    html = client.get("/offline/").content.decode()
    assert "data-offline-logout" in html and "offline/logout.js" in html
