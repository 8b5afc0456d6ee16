"""The idle timeout (30 minutes) kept without a session write on every request
(accounts.middleware.SessionRefreshMiddleware)."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = "/visits/"


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _later(seconds: int):
    """time.time() as the middleware sees it, `seconds` from now."""
    import time

    return mock.patch("maeul.accounts.middleware.time.time", return_value=time.time() + seconds)


def test_pages_within_a_minute_write_the_session_once(client, official):
    client.force_login(official)
    assert client.get(PAGE).status_code == 200  # the first page marks the refresh: one write
    first = _expiry(client)
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        writes = [q["sql"] for q in queries if "django_session" in q["sql"]]
        assert writes and all(sql.lstrip().upper().startswith("SELECT") for sql in writes)
        assert _expiry(client) == first


def test_a_page_after_the_refresh_interval_moves_the_expiry_on(client, official):
    client.force_login(official)
    client.get(PAGE)
    first = _expiry(client)
    with _later(settings.MAEUL_SESSION_REFRESH_SECONDS + 1):
        assert client.get(PAGE).status_code == 200
    moved = _expiry(client)
    assert moved > first
    # The expiry stays the idle timeout away from the refresh.
    assert abs((moved - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 30


def test_a_session_idle_past_the_timeout_is_signed_out(client, official):
    client.force_login(official)
    client.get(PAGE)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_anonymous_visitors_get_no_session_row(client):
    client.get("/login/")
    assert not Session.objects.exists()
