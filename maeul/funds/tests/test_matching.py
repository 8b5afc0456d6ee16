"""Matching under capacity: ranking by domain, eligibility, places and distance; the batch
assignment meets more needs than first come, first served, and lists what stays unmet."""

from __future__ import annotations

import datetime as dt

from maeul.cases.services import assessment_record
from maeul.funds.matching import Need, Offer, assign, assign_greedy, household_needs, rank


def test_rank_keeps_eligible_services_nearest_first():
    need = Need(key=1, domain="housing", age=70, lat=35.17, lon=129.11)
    offers = [
        Offer(key="far", domains=frozenset({"housing"}), places=5, lat=35.25, lon=129.2),
        Offer(key="near", domains=frozenset({"housing"}), places=5, lat=35.171, lon=129.111),
        Offer(key="young", domains=frozenset({"housing"}), places=5, max_age=39),
        Offer(key="full", domains=frozenset({"housing"}), places=0),
        Offer(key="food", domains=frozenset({"income"}), places=5),
    ]
    assert [o.key for o, _d in rank(need, offers)] == ["near", "far"]


def test_assignment_respects_capacity_and_beats_greedy():
    # Two needs; one can go to A or B, the other only to A. A has one place.
    needs = [
        Need(key="flexible", domain="housing"),
        Need(key="only_a", domain="care"),
    ]
    offers = [
        Offer(key="A", domains=frozenset({"housing", "care"}), places=1),
        Offer(key="B", domains=frozenset({"housing"}), places=1, lat=36.0, lon=130.0),
    ]
    greedy = assign_greedy(needs, offers)
    assert greedy.met == 1 and [n.key for n in greedy.unmet] == ["only_a"]
    best = assign(needs, offers)
    assert best.assigned == {"flexible": "B", "only_a": "A"} and best.unmet == []


def test_unmet_needs_are_listed():
    needs = [Need(key=i, domain="legal") for i in range(3)]
    result = assign(needs, [Offer(key="L", domains=frozenset({"legal"}), places=2)])
    assert result.met == 2 and len(result.unmet) == 1
    assert assign(needs, []).unmet == needs


def test_household_needs_from_the_latest_assessment(official, household_a):
    assessment_record(
        actor=official,
        household=household_a,
        needs={"income": 3, "housing": 2, "social": 1},
        overall_risk="high",
        decision="linkage_only",
        consent_given=True,
        consent_scopes=["hub"],
        consent_date=dt.date(2026, 11, 2),
    )
    needs = household_needs(user=official, household=household_a, today=dt.date(2026, 11, 30))
    assert [n.domain for n in needs] == ["income", "housing"]


def test_matching_pages(client, official, household_a, partner_org, dong_a):
    from django.urls import reverse

    from maeul.resources.services import service_save

    assessment_record(
        actor=official,
        household=household_a,
        needs={"income": 3, "legal": 2},
        overall_risk="high",
        decision="linkage_only",
        consent_given=True,
        consent_scopes=["hub"],
        consent_date=dt.date(2026, 11, 2),
    )
    service_save(
        actor=official,
        organization=partner_org,
        area=dong_a,
        name="푸드뱅크",
        domains=["income"],
        places_per_month=3,
    )
    client.force_login(official)
    page = client.get(reverse("funds:household_matches", args=[household_a.pk])).content.decode()
    assert "푸드뱅크" in page and "No service in the directory meets this need." in page
    response = client.get(reverse("funds:batch_matching"), {"days": "3650"})
    assert response.context["needs"] == 2 and response.context["met"] == 1
    assert [str(label) for label, _c in response.context["unmet"]] == ["legal"]
