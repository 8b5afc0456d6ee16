"""The means data in Chromium: the household page arrives with the details closed and empty;
opening it fetches the forms (htmx), which then save in place like before. Desktop and
phone-sized; Playwright drives Debian's Chromium as the browser tests in tests/e2e do."""

from __future__ import annotations

import pytest

from maeul.benefits.models import MeansRecord
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_opening_the_details_fetches_the_forms(
    browser, live_server, official, password, household_a, viewport
):
    member = household_a.members.get()
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(45_000)  # a loaded 2-core CI machine
    page.base = live_server.url
    try:
        login(page, official.username, password)
        page.goto(f"{page.base}/households/{household_a.pk}/")
        details = page.locator("#benefits-means")
        assert details.get_attribute("open") is None
        assert page.locator("#id_situation-region").count() == 0
        page.locator("#benefits-means > summary").click()
        page.locator(f"#means-{member.pk}").wait_for()
        assert page.locator("#id_situation-region").is_visible()
        shot(page, f"household-means-{'phone' if viewport['width'] < 500 else 'desktop'}")
        prefix = f"means-{member.pk}"
        # the browser would refuse -5 itself (min=0): let the server refuse it
        page.locator(f"#means-{member.pk}").evaluate("form => { form.noValidate = true; }")
        page.fill(f"#id_{prefix}-earned_income", "-5")
        page.locator(f"#means-{member.pk} button[type=submit]").click()
        page.locator("#benefits-means[open] .has-error").first.wait_for()  # in place, open
        assert not MeansRecord.objects.exists()
        page.fill(f"#id_{prefix}-earned_income", "1000000")
        page.locator(f"#means-{member.pk} button[type=submit]").click()
        page.locator("#benefits-means:not([open])").wait_for(state="attached")
        assert MeansRecord.objects.get(resident=member).earned_income == 1_000_000
    finally:
        context.close()
