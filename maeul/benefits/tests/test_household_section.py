"""The household page's benefit section: results, means forms, one-click linkage."""

from __future__ import annotations

import datetime as dt

import pytest

from maeul.benefits.models import HouseholdSituation, MeansRecord, SupportObligor
from maeul.benefits.tests.helpers import means_for
from maeul.cases.models import Linkage
from maeul.people.models import BenefitReceipt, TimelineEvent

pytestmark = pytest.mark.django_db


def test_page_shows_entitled_programme_with_reason_and_missing_data(client, official, household_a):
    client.force_login(official)
    html = client.get(f"/households/{household_a.pk}/").content.decode()
    assert 'id="benefits"' in html
    assert "needs more data" in html
    # the missing inputs as a person reads them: the member's name and the form's label
    head = household_a.members.order_by("pk").first()
    assert f"{head.name}: Earned income (KRW a month)" in html
    assert "members[0]" not in html
    korean = client.get(
        f"/households/{household_a.pk}/", HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "members[0]" not in korean and f"{head.name}: " in korean
    means_for(household_a)
    html = client.get(f"/households/{household_a.pk}/").content.decode()
    # the reason in the page's language: English here, Korean for a Korean browser
    assert "livelihood line ₩820,556 for 1 person" in html
    korean = client.get(
        f"/households/{household_a.pk}/", HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "소득인정액 0원이 1인 가구 생계급여 선정기준 820,556원 이하입니다" in korean
    assert "entitled" in html
    assert f"/benefits/households/{household_a.pk}/link/nbls_livelihood/" in html


def test_link_creates_a_linkage_and_the_event_then_shows_linked(client, official, household_a):
    means_for(household_a)
    client.force_login(official)
    url = f"/benefits/households/{household_a.pk}/link/nbls_livelihood/"
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    linkage = Linkage.objects.get(household=household_a)
    assert linkage.kind == "public_benefit" and linkage.programme == "nbls_livelihood"
    assert linkage.amount == 820_556
    assert TimelineEvent.objects.filter(
        household=household_a, kind=TimelineEvent.Kind.LINKAGE_PROPOSED
    ).exists()
    html = response.content.decode()
    assert url not in html and "linked" in html
    # twice: refused, shown in place, nothing more created
    again = client.post(url, HTTP_HX_REQUEST="true")
    assert "already linked" in again.content.decode()
    assert Linkage.objects.filter(household=household_a).count() == 1


def test_no_link_button_for_a_programme_already_received(client, official, household_a):
    means_for(household_a)
    BenefitReceipt.objects.create(
        household=household_a, programme="basic_pension", started_on=dt.date(2020, 1, 1)
    )
    client.force_login(official)
    html = client.get(f"/benefits/households/{household_a.pk}/").content.decode()
    assert "/link/basic_pension/" not in html and "received" in html
    response = client.post(f"/benefits/households/{household_a.pk}/link/basic_pension/")
    assert response.status_code == 400
    assert not Linkage.objects.exists()


def test_link_refused_when_not_entitled(client, official, household_a):
    means_for(household_a, other_income=5_000_000)
    client.force_login(official)
    response = client.post(f"/benefits/households/{household_a.pk}/link/nbls_livelihood/")
    assert response.status_code == 400
    assert not Linkage.objects.exists()


def test_out_of_scope_household_is_404(client, official, household_b):
    client.force_login(official)
    assert client.get(f"/benefits/households/{household_b.pk}/").status_code == 404
    assert (
        client.post(f"/benefits/households/{household_b.pk}/link/nbls_livelihood/").status_code
        == 404
    )
    member = household_b.members.get()
    response = client.post(
        f"/benefits/households/{household_b.pk}/means/{member.pk}/",
        {f"means-{member.pk}-earned_income": "0"},
    )
    assert response.status_code == 404
    assert not MeansRecord.objects.exists()


def test_volunteer_cannot_use_the_section(client, volunteer, household_a):
    client.force_login(volunteer)
    assert client.get(f"/benefits/households/{household_a.pk}/").status_code == 404


def test_means_form_records_and_shows_errors_in_place(client, official, household_a):
    member = household_a.members.get()
    client.force_login(official)
    url = f"/benefits/households/{household_a.pk}/means/{member.pk}/"
    prefix = f"means-{member.pk}-"
    bad = client.post(
        url,
        {prefix + "earned_income": "-5", prefix + "other_income": "abc"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 200 and "has-error" in bad.content.decode()
    assert not MeansRecord.objects.exists()
    ok = client.post(
        url,
        {
            prefix + "earned_income": "1000000",
            prefix + "other_income": "0",
            prefix + "assets_general": "",
            prefix + "single_parent": "unknown",
        },
    )
    assert ok.status_code == 302
    record = MeansRecord.objects.get(resident=member)
    assert record.earned_income == 1_000_000 and record.assets_general is None
    assert record.recorded_by == official and not record.complete


def test_situation_and_obligors_feed_the_rules(client, official, household_a):
    means_for(household_a)
    client.force_login(official)
    base = f"/benefits/households/{household_a.pk}"
    client.post(f"{base}/situation/", {"situation-region": "rural", "situation-crisis": "job_loss"})
    situation = HouseholdSituation.objects.get(household=household_a)
    assert situation.region == "rural" and situation.crisis == "job_loss"
    response = client.post(
        f"{base}/obligors/",
        {"obligor-relation": "child", "obligor-annual_income": "200000000", "obligor-assets": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert SupportObligor.objects.filter(household=household_a).count() == 1
    html = response.content.decode()
    assert "support obligor" in html  # livelihood excluded by a high-earning obligor
    bad = client.post(f"{base}/situation/", {"situation-crisis": "bored"}, HTTP_HX_REQUEST="true")
    assert "has-error" in bad.content.decode()
    assert HouseholdSituation.objects.get(household=household_a).crisis == "job_loss"


def test_missing_inputs_are_named_for_a_person_in_both_languages(household_a):
    from django.utils import translation

    from maeul.benefits.selectors import missing_labels

    members = list(household_a.members.all())
    name = members[0].name
    paths = ["members[0].assets_financial", "members[0].age", "household.crisis", "odd.path"]
    with translation.override("ko"):
        assert missing_labels(paths, members) == [
            f"{name}: 금융재산(원)",
            f"{name}: 생년월일",
            "위기 상황",
            "odd.path",
        ]
    with translation.override("en"):
        assert missing_labels(["members[0].debts", "members[5].car_value"], members) == [
            f"{name}: Debts (KRW)",
            "6: Car value (KRW)",
        ]


def test_household_page_marks_linked_programmes_from_the_linkages_it_lists(
    client, official, household_a
):
    """The household page reads the household's linkages once (for its case-work section)
    and marks the entitlements from them: a proposed linkage hides the link button, a
    declined one brings it back."""
    means_for(household_a)
    client.force_login(official)
    link = f"/benefits/households/{household_a.pk}/link/nbls_livelihood/"
    page = f"/households/{household_a.pk}/"
    assert link in client.get(page).content.decode()
    assert client.post(link, HTTP_HX_REQUEST="true").status_code == 200
    assert link not in client.get(page).content.decode()
    Linkage.objects.filter(household=household_a).update(status=Linkage.Status.DECLINED)
    assert link in client.get(page).content.decode()
