"""The gu team's dashboard card: the last screening of its own gu, the list size per dong and
the hit rate so far among the listed households that were assessed since."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.accounts.models import Role
from maeul.areas.models import Area
from maeul.cases.services.assessments import assessment_record
from maeul.screening.dashboard import cards
from maeul.screening.models import ScreeningEntry
from maeul.screening.services import (
    NewSignal,
    screening_run_execute,
    screening_run_open,
    signals_bulk_record,
)
from tests.factories import AreaFactory, HouseholdFactory, UserFactory

TODAY = timezone.localdate()


def _signals(household, *codes):
    return [
        NewSignal(
            household_id=household.pk,
            dong_id=household.dong_id,
            signal=code,
            observed_on=TODAY - dt.timedelta(days=10 + i),
            value=2,
        )
        for i, code in enumerate(codes)
    ]


def _run(actor):
    run = screening_run_open(actor=actor, visits_per_staff=10)
    return screening_run_execute(run_id=run.pk)


def _assess(actor, household, decision):
    return assessment_record(
        actor=actor,
        household=household,
        needs={"income": 2},
        overall_risk="high" if decision != "no_need" else "low",
        decision=decision,
        consent_given=True,
    )


@pytest.fixture
def other_gu(gu):
    other = AreaFactory(
        code="2647000000", name="연제구", name_en="Yeonje-gu", level=Area.Level.SIGUNGU
    )
    other.parent = gu.parent
    other.save()
    dong = AreaFactory(code="2647062000", name="연산제1동", name_en="Yeonsan 1-dong", parent=other)
    return {
        "gu": other,
        "dong": dong,
        "team": UserFactory(username="gu_team_other", role=Role.GU_TEAM, home_area=other),
        "household": HouseholdFactory(dong=dong),
    }


def test_card_shows_the_last_run_per_dong_and_the_hit_rate_so_far(
    client, dong_a, dong_b, official, official_b, gu_user
):
    a = [HouseholdFactory(dong=dong_a) for _ in range(3)]
    b = HouseholdFactory(dong=dong_b)
    signals_bulk_record(
        [s for h in a for s in _signals(h, "electricity_arrears", "rent_arrears")]
        + _signals(b, "gas_arrears")
    )
    run = _run(gu_user)
    assert run.listed == 4
    _assess(official, a[0], "linkage_only")
    _assess(official, a[1], "no_need")
    (card,) = cards(user=gu_user)
    assert card["template"] == "screening/_card.html"
    assert card["run"] == run
    rows = {r["dong"]: r for r in card["rows"]}
    assert (rows[dong_a]["listed"], rows[dong_a]["assessed"], rows[dong_a]["in_need"]) == (3, 2, 1)
    assert rows[dong_a]["hit_rate"] == 0.5
    assert (rows[dong_b]["listed"], rows[dong_b]["assessed"], rows[dong_b]["hit_rate"]) == (
        1,
        0,
        None,
    )
    assert (card["listed"], card["assessed"], card["in_need"]) == (4, 2, 1)

    client.force_login(gu_user)
    page = client.get(reverse("hub:home")).content.decode()
    assert 'id="screening-card"' in page
    assert reverse("screening:run") in page
    assert "50%" in page


def test_card_only_for_the_gu_team_and_only_its_own_gu(gu_user, official, dong_a, other_gu):
    signals_bulk_record(_signals(HouseholdFactory(dong=dong_a), "water_arrears"))
    assert cards(user=gu_user) == []  # no run yet
    assert cards(user=other_gu["team"]) == []
    signals_bulk_record(_signals(other_gu["household"], "job_loss"))
    other_run = _run(other_gu["team"])
    assert other_run.listed == 1
    assert cards(user=gu_user) == []  # another gu's run is not ours
    (theirs,) = cards(user=other_gu["team"])
    assert [r["dong"] for r in theirs["rows"]] == [other_gu["dong"]]
    own = _run(gu_user)
    (mine,) = cards(user=gu_user)
    assert mine["run"] == own
    assert {r["dong"] for r in mine["rows"]} == {dong_a}
    assert not ScreeningEntry.objects.filter(run=own, dong=other_gu["dong"]).exists()
    assert cards(user=official) == []  # dong staff see their lists on the page, not this card
