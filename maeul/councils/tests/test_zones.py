"""Special Support Zones (seed 002): candidate tongs ranked by the weighted, standardised
criteria (the gu adjusts the weights), selection with reasons (the gu team, tongs of one of its
dongs), the four-year plan, and the evaluation against the rest of the dong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.areas.models import Area
from maeul.councils.services import zone_plan_add, zone_select
from maeul.councils.zones import weights_from, zone_candidates, zone_evaluation
from maeul.errors import DomainError, PermissionDenied
from maeul.people.models import Household, TimelineEvent
from maeul.people.services import event_record
from tests.factories import AreaFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tongs(dong_a, dong_b):
    made = {}
    for dong, names in ((dong_a, ("1통", "2통", "3통")), (dong_b, ("1통",))):
        for k, name in enumerate(names, start=1):
            made[(dong.pk, k)] = AreaFactory(
                code=f"{dong.code}-T0{k}", name=name, level=Area.Level.TONG, parent=dong
            )
    a1, a2, a3 = (made[(dong_a.pk, k)] for k in (1, 2, 3))
    # 1통: 6 households, 5 vulnerable; 2통: 4, 1 vulnerable; 3통: 2, 0; dong B 1통: 3, 3.
    for tong, total, vulnerable in ((a1, 6, 5), (a2, 4, 1), (a3, 2, 0)):
        for k in range(total):
            HouseholdFactory(
                dong=dong_a, tong=tong, groups=["senior_alone"] if k < vulnerable else []
            )
    b1 = made[(dong_b.pk, 1)]
    for _k in range(3):
        HouseholdFactory(dong=dong_b, tong=b1, groups=["disabled", "near_poor"])
    return a1, a2, a3, b1


def test_candidates_rank_by_the_weighted_criteria_and_the_weights_change_it(gu_user, tongs):
    a1, a2, a3, b1 = tongs
    by_count = zone_candidates(
        user=gu_user, weights={"vulnerable": 1, "share": 0, "scarcity": 0, "distance": 0}
    )
    assert [c.tong for c in by_count][:2] == [a1, b1]
    assert by_count[0].vulnerable == 5 and by_count[0].groups == {"senior_alone": 5}
    by_share = zone_candidates(
        user=gu_user, weights={"vulnerable": 0, "share": 1, "scarcity": 0, "distance": 0}
    )
    assert by_share[0].tong == b1 and by_share[0].share == 1.0
    assert by_share[-1].tong == a3


def test_dong_staff_see_only_their_dongs_tongs(official, tongs):
    a1, a2, a3, b1 = tongs
    assert {c.tong for c in zone_candidates(user=official, weights=weights_from({}))} == {
        a1,
        a2,
        a3,
    }


def test_weights_are_checked():
    assert weights_from({})["vulnerable"] == 0.35
    with pytest.raises(DomainError):
        weights_from({"share": "2"})
    with pytest.raises(DomainError):
        weights_from({k: "0" for k in ("vulnerable", "share", "scarcity", "distance")})


def test_selection_by_the_gu_team_with_reasons_and_one_dong(official, gu_user, tongs):
    a1, a2, _a3, b1 = tongs
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        zone_select(
            actor=official, tongs=[a1], name="z", reasons="r", selected_on=today, criteria={}
        )
    with pytest.raises(DomainError) as exc:
        zone_select(
            actor=gu_user, tongs=[a1, b1], name="z", reasons="r", selected_on=today, criteria={}
        )
    assert exc.value.code == "bad_tongs"
    with pytest.raises(DomainError):
        zone_select(
            actor=gu_user, tongs=[a1], name="z", reasons=" ", selected_on=today, criteria={}
        )
    zone = zone_select(
        actor=gu_user,
        tongs=[a1, a2],
        name="망미 돌봄구역",
        reasons="밀집",
        selected_on=today,
        criteria={},
    )
    assert set(zone.tongs.all()) == {a1, a2}
    zone_plan_add(actor=official, zone=zone, year=1, goals="관계망", projects="사랑방", budget=100)
    with pytest.raises(DomainError):
        zone_plan_add(actor=official, zone=zone, year=1, goals="x", projects="y", budget=1)
    with pytest.raises(DomainError):
        zone_plan_add(actor=official, zone=zone, year=5, goals="x", projects="y", budget=1)


def test_evaluation_compares_the_zone_with_the_rest_of_its_dong(gu_user, dong_a, tongs):
    a1, a2, a3, _b1 = tongs
    selected = dt.date(2026, 6, 1)
    zone = zone_select(
        actor=gu_user, tongs=[a1], name="z", reasons="r", selected_on=selected, criteria={}
    )
    inside = list(Household.objects.filter(tong=a1))  # 6 households
    outside = list(Household.objects.filter(dong=dong_a).exclude(tong=a1))  # 6 households
    at = lambda d: dt.datetime.combine(d, dt.time(12), tzinfo=dt.UTC)  # noqa: E731
    kind = TimelineEvent.Kind.LINKAGE_PROVIDED
    for h in inside[:3]:  # zone: 0 before, 3 after → 0 → 50 per 100
        event_record(
            kind=kind,
            dong_id=dong_a.pk,
            household=h,
            occurred_at=at(selected + dt.timedelta(days=10)),
        )
    for h in outside[:2]:  # rest: 1 before, 1 after → 16.67 → 16.67
        event_record(
            kind=kind,
            dong_id=dong_a.pk,
            household=h,
            occurred_at=at(selected - dt.timedelta(days=10)),
        )
    event_record(
        kind=kind,
        dong_id=dong_a.pk,
        household=outside[3],
        occurred_at=at(selected + dt.timedelta(days=5)),
    )
    row = next(r for r in zone_evaluation(zone) if r["kind"] == TimelineEvent.Kind(kind).label)
    assert row["zone_before"] == 0 and row["zone_after"] == 50
    assert row["rest_before"] == pytest.approx(200 / 6) and row["rest_after"] == pytest.approx(
        100 / 6
    )
    assert row["did"] == pytest.approx(50 - (100 / 6 - 200 / 6))


def test_zone_pages(client, gu_user, official, volunteer, tongs):
    a1, *_rest = tongs
    client.force_login(gu_user)
    page = client.get(reverse("councils:zones"), {"vulnerable": "0.5"})
    assert page.status_code == 200 and "1통" in page.content.decode()
    response = client.post(
        reverse("councils:zones"), {"name": "구역", "tongs": [str(a1.pk)], "reasons": "밀집"}
    )
    assert response.status_code == 302
    client.force_login(official)
    assert client.get(response["Location"]).status_code == 200
    assert client.post(reverse("councils:zones"), {"name": "x", "reasons": "y"}).status_code == 404
    client.force_login(volunteer)
    assert client.get(reverse("councils:zones")).status_code == 404
