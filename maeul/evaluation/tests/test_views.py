"""The series and effects pages: who sees what, charts with the openings, bad months."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from maeul.evaluation.tests.conftest import TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    cache.clear()


def test_effects_page_shows_each_indicator_with_interval_and_event_study(
    client, history, gu_user, password
):
    client.login(username=gu_user.username, password=password)
    response = client.get("/evaluation/effects/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-indicator="site_visits"' in html
    assert 'data-indicator="linkages_private"' in html
    assert "10.00" in html  # the planted effect on site visits
    assert 'id="effect-site_visits"' in html and "<svg" in html
    assert "Pre-trend check" in html


def test_series_page_marks_the_openings(client, history, gu_user, password):
    client.login(username=gu_user.username, password=password)
    html = client.get("/evaluation/").content.decode()
    assert "2 hubs open" in html and "1 hubs open" in html
    assert html.count("<polyline") >= 9
    dong = history[0]
    html = client.get(f"/evaluation/?area={dong.pk}").content.decode()
    assert "Hub opened in 2025-07." in html and "hub opens" in html


def test_dong_staff_do_not_get_another_dongs_series(client, history, official, password):
    client.login(username=official.username, password=password)
    other = history[1]
    html = client.get(f"/evaluation/?area={other.pk}").content.decode()
    assert other.name not in html.split("<main>")[1].split("Area:")[0]
    assert f'href="?area={other.pk}&' not in html
    assert f'href="?area={history[0].pk}&' in html


def test_bad_months_say_so(client, history, gu_user, password):
    client.login(username=gu_user.username, password=password)
    assert (
        "Give both months as YYYY-MM."
        in client.get("/evaluation/?start=2025-13&end=2026-01").content.decode()
    )
    assert (
        "must not be after"
        in client.get("/evaluation/effects/?start=2026-01&end=2025-01").content.decode()
    )
    html = client.get("/evaluation/effects/?start=2025-01&end=2026-06").content.decode()
    assert "2025-01" in html


def test_volunteers_and_partners_get_nothing(client, history, volunteer, partner_user, password):
    for user in (volunteer, partner_user):
        client.login(username=user.username, password=password)
        assert client.get("/evaluation/").status_code == 404
        assert client.get("/evaluation/effects/").status_code == 404


def test_sido_view_ranks_the_gus(client, history, gu_user, official, password):
    from tests.factories import AreaFactory

    other = AreaFactory(
        code="2647000000",
        name="연제구",
        name_en="Yeonje-gu",
        level="sigungu",
        parent=history[0].parent.parent,
    )
    AreaFactory(code="2647062000", name="연산동", name_en="Yeonsan-dong", parent=other)
    client.login(username=gu_user.username, password=password)
    html = client.get("/evaluation/sido/").content.decode()
    assert 'data-gu="2650000000"' in html and 'data-gu="2647000000"' in html
    assert "#1" in html and "#2" in html
    assert "10.0 [10.0, 10.0]" in html  # the planted effect on site visits of the gu with history
    client.login(username=official.username, password=password)
    assert client.get("/evaluation/sido/").status_code == 404
