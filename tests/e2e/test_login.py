import pytest

from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_official_logs_in_and_sees_the_dashboard_in_korean(page, official, password):
    login(page, official.username, password)
    assert page.url.rstrip("/") == page.base
    assert page.locator("h1").first.inner_text() == "복지허브 대시보드"
    shot(page, "dashboard")


def test_wrong_password_shows_an_error_in_place(page, official):
    login(page, official.username, "wrong-password")
    assert "/login/" in page.url
    assert page.locator(".errorlist").count() == 1
