"""Screening instruments: GDS-15 scoring and what a positive screen does."""

from __future__ import annotations

import datetime as dt

import pytest

from maeul.campaigns.instruments import instrument_score
from maeul.campaigns.models import Instrument, Target
from maeul.campaigns.services import campaign_create, target_record, targets_add
from maeul.discovery.models import Lead
from maeul.errors import DomainError
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gds():
    return Instrument.objects.get(code="gds15")


def answers_scoring(gds, points: int) -> dict[str, str]:
    """Answers that score exactly `points`: the first `points` items answered the scoring way."""
    flip = {"yes": "no", "no": "yes"}
    return {
        item["key"]: item["point_if"] if index < points else flip[item["point_if"]]
        for index, item in enumerate(gds.items)
    }


def test_gds15_scoring(gds):
    assert instrument_score(gds, answers_scoring(gds, 0)).score == 0
    assert instrument_score(gds, answers_scoring(gds, 15)).score == 15
    four = instrument_score(gds, answers_scoring(gds, 4))
    five = instrument_score(gds, answers_scoring(gds, 5))
    assert (four.score, four.positive) == (4, False)
    assert (five.score, five.positive, five.max_score) == (5, True, 15)
    # Reverse-scored items: "no" to "satisfied with your life?" (item 1) scores a point.
    all_yes = {item["key"]: "yes" for item in gds.items}
    assert instrument_score(gds, all_yes).score == 10
    all_no = {item["key"]: "no" for item in gds.items}
    assert instrument_score(gds, all_no).score == 5


def test_incomplete_or_unknown_answers_are_refused(gds):
    partial = answers_scoring(gds, 3)
    del partial["7"]
    with pytest.raises(DomainError) as err:
        instrument_score(gds, partial)
    assert err.value.code == "answer_required" and "7" in str(err.value.message)
    with pytest.raises(DomainError) as err:
        instrument_score(gds, {**answers_scoring(gds, 3), "99": "yes"})
    assert err.value.code == "invalid_item"
    with pytest.raises(DomainError):
        instrument_score(gds, {**answers_scoring(gds, 3), "1": "maybe"})


@pytest.fixture
def target(official, dong_a, gds):
    campaign = campaign_create(
        actor=official,
        name="홀몸 어르신 우울 선별",
        purpose="GDS-15",
        area=dong_a,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        instrument=gds,
    )
    targets_add(actor=official, campaign=campaign, household_ids=[HouseholdFactory(dong=dong_a).pk])
    return campaign.targets.get()


def test_positive_screen_raises_urgency_and_says_why(official, target, gds):
    target, _ = target_record(
        actor=official, target=target, outcome="not_in_need", answers=answers_scoring(gds, 11)
    )
    assert (target.score, target.flagged, target.outcome) == (11, True, Target.Outcome.IN_NEED)
    assert "mental_health" in target.visit.observed_needs
    lead = Lead.objects.get(household=target.household)
    assert lead.urgency == Lead.Urgency.HIGH and lead.source == Lead.Source.SURVEY
    assert "11" in lead.description and "cut-off 5" in lead.description


def test_negative_screen_raises_nothing(official, target, gds):
    target, _ = target_record(
        actor=official, target=target, outcome="not_in_need", answers=answers_scoring(gds, 4)
    )
    assert (target.score, target.flagged, target.outcome) == (4, False, "not_in_need")
    assert not Lead.objects.exists()


def test_partial_screen_writes_nothing(official, target, gds):
    partial = answers_scoring(gds, 9)
    partial.pop("15")
    with pytest.raises(DomainError):
        target_record(actor=official, target=target, outcome="in_need", answers=partial)
    target.refresh_from_db()
    assert target.outcome == "pending" and target.visit_id is None
    assert not Lead.objects.exists()


def test_screen_only_with_a_household_met(official, target, gds):
    with pytest.raises(DomainError) as err:
        target_record(
            actor=official, target=target, outcome="unreachable", answers=answers_scoring(gds, 9)
        )
    assert err.value.code == "not_visited"
