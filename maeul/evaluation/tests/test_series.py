"""Monthly series (the indicator table's numbers, month by month; linkages split public and
private) and the effect of opening a hub on a history with a known effect."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from maeul.cases.models import Linkage
from maeul.evaluation.selectors import (
    hub_effects,
    indicator_series,
    month_end,
    month_start,
    series_panel,
)
from maeul.evaluation.tests.conftest import EFFECT, TODAY, TZ
from maeul.indicators.selectors import indicator_values
from maeul.people.models import TimelineEvent
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_months_start_when_the_record_holds_every_kind_of_act(history, gu_user):
    series = indicator_series(user=gu_user, today=TODAY)
    assert series.labels[0] == "2024-12"
    assert series.labels[-1] == "2026-08"  # the last complete month


def test_each_month_is_the_indicator_tables_numbers(history, gu_user, gu):
    series = indicator_series(user=gu_user, today=TODAY)
    for position in (0, 7, len(series.months) - 1):
        month = series.months[position]
        table = indicator_values(gu=gu, start=month_start(month), end=month_end(month))
        for area_id in [None, *(d.pk for d in history)]:
            for key, value in table[area_id].items():
                assert series.values[area_id][key][position] == value, (area_id, key)
    a = history[0]
    assert series.values[a.pk]["site_visits"][0] == 10
    assert series.values[a.pk]["site_visits"][7] == 10 + EFFECT  # 2025-07


def test_linkages_split_public_and_private(history, gu_user, official):
    dong = history[0]
    household = HouseholdFactory(dong=dong)
    when = dt.datetime(2025, 3, 10, 11, tzinfo=TZ)
    for kind in (
        "public_benefit",
        "emergency_aid",
        "private_resource",
        "partner_referral",
        "private_resource",
    ):
        link = Linkage.objects.create(
            household=household,
            dong=dong,
            kind=kind,
            status="provided",
            proposed_at=when,
            proposed_by=official,
        )
        TimelineEvent.objects.create(
            dong=dong,
            household=household,
            kind=TimelineEvent.Kind.LINKAGE_PROVIDED,
            occurred_at=when,
            subject_type="linkage",
            subject_id=link.pk,
        )
    series = indicator_series(user=gu_user, today=TODAY)
    march = series.labels.index("2025-03")
    assert series.values[dong.pk]["linkages_public"][march] == 2
    assert series.values[dong.pk]["linkages_private"][march] == 3
    assert series.values[None]["linkages_public"][march] == 2
    assert series.values[dong.pk]["linkages"][march] == 1 + 5  # the fixture's own + these


def test_effect_of_opening_a_hub_is_recovered(history, gu_user):
    series = indicator_series(user=gu_user, today=TODAY)
    panel = series_panel(series, "site_visits")
    assert panel.treated_from.count(None) == 1
    effects = {e.key: e for e in hub_effects(series)}
    visits = effects["site_visits"].result
    assert visits is not None
    assert visits.overall.estimate == pytest.approx(EFFECT)
    assert visits.overall.covers(EFFECT)
    assert visits.pre_trend is None or not visits.pre_trend.flagged
    # no change anywhere else: blind spots are one a month in every dong
    assert effects["blind_spots"].result.overall.estimate == pytest.approx(0)


def test_dong_staff_see_their_dong_and_the_gu(history, official):
    series = indicator_series(user=official, today=TODAY)
    assert [d.pk for d in series.visible] == [history[0].pk]
    assert len(series.dongs) == 4  # the estimation uses the whole gu (an aggregate)


def test_a_new_event_is_counted_at_once(history, gu_user):
    before = indicator_series(user=gu_user, today=TODAY)
    TimelineEvent.objects.create(
        dong=history[1],
        kind=TimelineEvent.Kind.VISIT_COMPLETED,
        occurred_at=dt.datetime(2025, 1, 9, tzinfo=TZ),
    )
    after = indicator_series(user=gu_user, today=TODAY)
    jan = before.labels.index("2025-01")
    assert after.values[None]["site_visits"][jan] == before.values[None]["site_visits"][jan] + 1
