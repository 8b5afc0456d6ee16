"""What-if of an ordinance line: the two halves equal a sweep before and a sweep after really
setting the line; gainers, losers, dongs, groups and budgets; nothing saved; who may ask."""

from __future__ import annotations

import datetime as dt

import pytest

from maeul.benefits.models import LocalRuleSetting, SweepRun
from maeul.benefits.services import local_rule_set, registry_sweep
from maeul.benefits.tests.helpers import means_for
from maeul.benefits.whatif import ordinance_whatif
from maeul.discovery.models import Lead
from maeul.errors import DomainError, PermissionDenied
from maeul.people.models import BenefitReceipt
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-11"
INCOMES = (0, 500_000, 900_000, 1_300_000, 1_600_000, 1_700_000, 2_500_000)


@pytest.fixture
def registry(dong_a, dong_b):
    """One-person households (born 1950) across the income range, in both dongs; one receives
    the gu's livelihood benefit already."""
    households = []
    for n, income in enumerate(INCOMES):
        household = HouseholdFactory(
            dong=dong_a if n % 2 else dong_b, groups=["senior_alone"] if n % 3 else []
        )
        means_for(household, other_income=income)
        households.append(household)
    BenefitReceipt.objects.create(
        household=households[4], programme="local_livelihood", started_on=dt.date(2025, 1, 1)
    )
    return households


def _findings(results: dict) -> dict:
    return {
        dong: (
            {h: sorted(p) for h, p in entry["blind_spots"]},
            {h: sorted(p) for h, p in entry["unqualified"]},
            entry["households"],
            entry["incomplete"],
        )
        for dong, entry in results.items()
    }


@pytest.mark.parametrize(
    ("parameter", "value"), [("livelihood.rate", "0.70"), ("livelihood.rate", "0.40")]
)
def test_whatif_equals_two_sweeps(registry, gu_user, parameter, value):
    whatif = ordinance_whatif(actor=gu_user, parameter=parameter, value=value, period=PERIOD)
    assert LocalRuleSetting.objects.count() == 0 and SweepRun.objects.count() == 0
    assert Lead.objects.count() == 0
    before = registry_sweep(actor=gu_user, period=PERIOD)
    local_rule_set(actor=gu_user, parameter=parameter, value=value, valid_from=dt.date(2026, 11, 1))
    after = registry_sweep(actor=gu_user, period=PERIOD)
    assert _findings(whatif.current.results) == _findings(before.results)
    assert _findings(whatif.proposed.results) == _findings(after.results)
    assert whatif.current.results != whatif.proposed.results  # the line matters here


def test_gainers_losers_by_dong_and_group_and_budget(registry, gu_user, dong_a, dong_b):
    whatif = ordinance_whatif(
        actor=gu_user, parameter="livelihood.rate", value="0.70", period=PERIOD
    )
    assert whatif.in_force == 0.6 and whatif.value == 0.7
    gained = {h: ps for h, _dong, ps in whatif.gainers}
    # 1,600,000 and 1,700,000 a month: above 60% of the median for one person, below 70%
    assert (
        "local_livelihood" in gained[registry[4].pk]
        and "local_livelihood" in gained[registry[5].pk]
    )
    assert not whatif.losers
    local = next(p for p in whatif.programmes if p["programme"] == "local_livelihood")
    assert local["gain"] == 2 and local["lose"] == 0 and local["proposed"] == local["now"] + 2
    assert local["budget_proposed"] - local["budget_now"] == pytest.approx(
        200_000 * local["proposed"] - 200_000 * local["now"]
    )
    dongs = {d["dong_id"]: d for d in whatif.by_dong}
    assert dongs[dong_a.pk]["gain"] + dongs[dong_b.pk]["gain"] == 2
    assert sum(d["households"] for d in whatif.by_dong) == len(INCOMES)
    assert whatif.budget_proposed - whatif.budget_now == pytest.approx(400_000)
    groups = {g["group"]: g for g in whatif.by_group}
    assert groups["senior_alone"]["gain"] + groups["none"]["gain"] == 2


def test_lowering_a_line_shows_losers(registry, gu_user):
    whatif = ordinance_whatif(
        actor=gu_user, parameter="livelihood.rate", value="0.40", period=PERIOD
    )
    assert whatif.losers and not whatif.gainers
    assert whatif.budget_proposed < whatif.budget_now


def test_dong_staff_cannot_and_bad_values_are_refused(registry, official, gu_user):
    with pytest.raises(PermissionDenied):
        ordinance_whatif(actor=official, parameter="livelihood.rate", value="0.7", period=PERIOD)
    for parameter, value, code in [
        ("nbls.livelihood.rate", "0.5", "invalid_parameter"),
        ("livelihood.rate", "seventy", "invalid_value"),
        ("livelihood.rate", "7", "out_of_bounds"),
        ("livelihood.amount", "100.5", "out_of_bounds"),
    ]:
        with pytest.raises(DomainError) as err:
            ordinance_whatif(actor=gu_user, parameter=parameter, value=value, period=PERIOD)
        assert err.value.code == code
    with pytest.raises(DomainError) as err:
        ordinance_whatif(actor=gu_user, parameter="livelihood.rate", value="0.7", period="2026-13")
    assert err.value.code == "invalid_period"
