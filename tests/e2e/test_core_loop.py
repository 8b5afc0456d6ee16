"""The core loop as a welfare official would walk it, in headless Chromium:
lead → visit → assessment → case → linkage → the indicator page counts it."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.cases.models import Case, Linkage
from maeul.discovery.models import Lead
from maeul.visits.models import Visit
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def submit(page, form_selector="main form[method=post]"):
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").last.click()


def test_official_walks_the_core_loop(page, official, password, dong_a, partner_org):
    login(page, official.username, password)

    # 1. Discovery: a lead from the staff form.
    page.goto(f"{page.base}/leads/new/")
    page.fill("#id_subject_name", "최복순")
    page.fill("#id_address", "부산광역시 수영구 망미번영로 77")
    page.fill("#id_description", "전기요금 석 달 체납, 거동 불편")
    page.select_option("#id_urgency", "emergency")
    submit(page)
    lead = Lead.objects.get(subject_name="최복순")
    assert page.url.endswith(f"/leads/{lead.pk}/")
    assert lead.urgency == "emergency" and lead.due_at - lead.created_at == dt.timedelta(hours=24)
    household = lead.household
    shot(page, "1-lead")

    # 2. Visit: planned from the lead, then recorded as met.
    page.goto(f"{page.base}/visits/plan/?household={household.pk}&lead={lead.pk}")
    page.fill("#id_planned_on", timezone.localdate().isoformat())
    submit(page)
    visit = Visit.objects.get(household=household)
    page.goto(f"{page.base}/visits/{visit.pk}/record/")
    page.check("input[name=outcome][value=met]") if page.locator(
        "input[name=outcome]"
    ).count() else page.select_option("#id_outcome", "met")
    page.fill("#id_notes", "혼자 거주, 냉장고 비어 있음")
    submit(page)
    visit.refresh_from_db()
    assert visit.status == "done" and visit.outcome == "met"

    # 3. Assessment with consent, decision: case management.
    if f"/cases/assess/{household.pk}/" not in page.url:
        page.goto(f"{page.base}/cases/assess/{household.pk}/")
    for domain, level in {"income": 3, "health": 2, "daily_living": 2}.items():
        field = page.locator(f"[name=need_{domain}]")
        if field.first.evaluate("el => el.tagName") == "SELECT":
            field.select_option(str(level))
        else:
            page.check(f"input[name=need_{domain}][value='{level}']")
    page.select_option("#id_overall_risk", "high")
    page.check("#id_consent_given")
    for scope in ("hub", "referral"):  # case work, and referral to partner institutions
        page.check(f"input[name=consent_scopes][value={scope}]")
    page.fill("#id_consent_date", timezone.localdate().isoformat())
    page.select_option("#id_decision", "case_general")
    submit(page)
    assert household.assessments.count() == 1
    shot(page, "3-after-assessment")

    # 4. Case management opened for the household.
    page.goto(f"{page.base}/cases/open/{household.pk}/")
    submit(page)
    case = Case.objects.get(household=household)
    assert case.status == "open" and case.follow_ups.count() == 1
    shot(page, "4-case")

    # 5. Linkage: a private resource, followed until provided by the hub (a partner referral
    # is answered by the partner in its own portal: maeul/cases/tests/test_referrals*).
    page.goto(f"{page.base}/cases/linkages/new/{household.pk}/")
    page.select_option("#id_kind", "private_resource")
    page.fill("#id_description", "밑반찬 주 2회 배달")
    submit(page)
    linkage = Linkage.objects.get(household=household)
    for status in ("requested", "provided"):
        page.goto(f"{page.base}/households/{household.pk}/")
        with page.expect_navigation():
            page.locator(
                f"form[action='/cases/linkages/{linkage.pk}/status/'] button[value={status}]"
            ).first.click()
    linkage.refresh_from_db()
    assert linkage.status == "provided"

    # The household page tells the whole story in order.
    page.goto(f"{page.base}/households/{household.pk}/")
    shot(page, "5-household")
    kinds = page.locator("ol.timeline li[data-kind]").evaluate_all(
        "els => els.map(e => e.dataset.kind)"
    )
    expected = [
        "household_registered",
        "lead_registered",
        "visit_planned",
        "visit_completed",
        "assessment_recorded",
        "blind_spot_discovered",
        "case_opened",
        "linkage_proposed",
        "linkage_provided",
    ]
    assert [k for k in kinds if k in expected] == expected

    # 6. The indicator page counts it: period B is today, period A the day before.
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    page.goto(
        f"{page.base}/indicators/?a_start={yesterday}&a_end={yesterday}&b_start={today}&b_end={today}"
    )
    shot(page, "6-indicators")
    section = page.locator(f"section[data-area='{dong_a.code}']")

    def period_b(indicator: str) -> str:
        return section.locator(f"tr[data-indicator={indicator}] td").nth(2).inner_text()

    assert period_b("site_visits") == "1"
    assert period_b("blind_spots") == "1"
    assert period_b("case_households") == "1"
    assert period_b("linkages") == "1"


def test_official_runs_a_campaign_from_target_list_to_funnel(page, official, password, dong_a):
    """A campaign: build a target list from the registry, record outcomes (and a GDS-15
    screening) on a phone-sized page, link one household, and read the funnel."""
    import importlib

    from django.apps import apps

    from maeul.campaigns.models import Campaign, Instrument, Target
    from tests.factories import HouseholdFactory

    # A transactional test starts from flushed tables: load the instrument as its migration does.
    importlib.import_module("maeul.campaigns.migrations.0002_gds15").load(apps, None)
    gds = Instrument.objects.get(code="gds15")

    from maeul.areas.models import Area
    from tests.factories import AreaFactory

    tong = AreaFactory(name="1통", level=Area.Level.TONG, parent=dong_a)
    for name in ("강말순", "윤점례", "서옥자"):
        HouseholdFactory(dong=dong_a, tong=tong, groups=["senior_alone"], head=name)
    HouseholdFactory(dong=dong_a, groups=["single_parent"], head="한부모")

    page.set_default_timeout(60_000)  # a loaded CI machine
    login(page, official.username, password)
    page.goto(f"{page.base}/campaigns/new/")
    page.fill("#id_name", "홀몸 어르신 우울 선별")
    page.fill("#id_purpose", "GDS-15로 우울 위험 어르신을 찾는다")
    page.select_option("#id_area", str(dong_a.pk))
    page.fill("#id_starts_on", timezone.localdate().isoformat())
    page.fill("#id_ends_on", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    page.select_option("#id_instrument", str(gds.pk))
    submit(page)
    campaign = Campaign.objects.get()
    assert page.url.endswith(f"/campaigns/{campaign.pk}/")

    # The target list from the registry: seniors living alone.
    page.check("input[name=groups][value=senior_alone]")
    submit(page, f"form[action='/campaigns/{campaign.pk}/targets/build/']")
    assert campaign.targets.count() == 3
    page.select_option("#id_assignee", str(official.pk))
    submit(page, f"form[action='/campaigns/{campaign.pk}/targets/assign/']")
    assert campaign.targets.filter(assignee=official).count() == 3

    # Outcomes on a phone.
    mobile = page
    mobile.set_viewport_size({"width": 390, "height": 844})
    mobile.goto(f"{mobile.base}/campaigns/mine/")
    shot(mobile, "7-campaign-mine-phone")
    targets = list(campaign.targets.order_by("id"))
    outcomes = {
        targets[0].pk: "not_in_need",
        targets[1].pk: "unreachable",
        targets[2].pk: "in_need",
    }
    for target in targets:
        mobile.goto(f"{mobile.base}/campaigns/targets/{target.pk}/")
        mobile.check(f"input[name=outcome][value={outcomes[target.pk]}]")
        if target.pk == targets[0].pk:  # the screening: every item "yes" scores 10 of 15
            for item in range(1, 16):
                mobile.check(f"input[name=item_{item}][value=yes]")
            shot(mobile, "8-campaign-screening-phone")
        submit(mobile, "main form[method=post]:not([action])")
    first = Target.objects.get(pk=targets[0].pk)
    assert (first.score, first.flagged, first.outcome) == (10, True, "in_need")
    mobile.goto(f"{mobile.base}/campaigns/targets/{targets[2].pk}/")
    mobile.select_option("#id_action", "emergency_aid")
    mobile.fill("#id_description", "긴급 생계비")
    submit(mobile, f"form[action='/campaigns/targets/{targets[2].pk}/link/']")
    shot(mobile, "9-campaign-linked-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The funnel: targets ⊇ reached ⊇ in need ⊇ linked.
    page.goto(f"{page.base}/campaigns/{campaign.pk}/")
    shot(page, "10-campaign-funnel")
    stats = page.locator("#funnel .stat b").all_inner_texts()
    assert stats == ["3", "2", "2", "1"]
    assert page.locator("svg.chart").count() == 2
