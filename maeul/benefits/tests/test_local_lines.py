"""A gu sets its own ordinance lines (issue 3: the local programmes are "parameters a gu can
edit"): the gu page, its permissions and validation, the history, and the lines taking effect
on the household page, the API and the sweep — without touching the national YAML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from maeul.benefits.models import LocalRuleSetting
from maeul.benefits.rules import PACKAGE_DIR
from maeul.benefits.selectors import household_entitlements, rules_system_for_gu
from maeul.benefits.services import local_rule_set, registry_sweep
from maeul.benefits.tests.helpers import means_for
from maeul.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db
URL = "/benefits/local-rules/"
IN_FORCE = dt.date(2026, 1, 1)  # before the demo today (2026-11-23)


def _local(user, household) -> dict:
    evaluation = household_entitlements(user=user, household=household)
    return next(p for p in evaluation["programmes"] if p["id"] == "local_livelihood")


def _rate(user, household) -> float:
    """The gu livelihood line's rate in force, read back from the threshold it gives."""
    system = rules_system_for_gu(household.dong.parent_id)
    from maeul.benefits.rules import tax_benefit_system

    params = (system or tax_benefit_system()).parameters(f"{dt.date.today():%Y-%m}-01")
    return float(params.local.livelihood.rate)


@pytest.fixture
def near_line(official, household_a):
    """household_a (one person aged 76) with income ₩10,000 above the gu livelihood line."""
    means_for(household_a)
    threshold = _local(official, household_a)["threshold"]
    means_for_income(household_a, threshold + 10_000)
    assert _local(official, household_a)["entitled"] is False
    return household_a


def means_for_income(household, income: int) -> None:
    household.means_records.all().delete()
    means_for(household, other_income=income)


def test_higher_gu_line_makes_a_household_just_above_it_entitled_on_its_page(
    client, gu_user, official, near_line
):
    rate = _rate(official, near_line)
    local_rule_set(
        actor=gu_user, parameter="livelihood.rate", value=rate + 0.1, valid_from=IN_FORCE
    )
    row = _local(official, near_line)
    assert row["entitled"] is True and row["amount"] > 0
    client.force_login(official)
    html = client.get(f"/benefits/households/{near_line.pk}/").content.decode()
    assert f"/benefits/households/{near_line.pk}/link/local_livelihood/" in html


def test_lower_gu_line_takes_entitlement_away_and_the_api_agrees(
    client, gu_user, official, household_a, api_token
):
    means_for(household_a)
    threshold = _local(official, household_a)["threshold"]
    means_for_income(household_a, threshold - 10_000)
    assert _local(official, household_a)["entitled"] is True
    rate = _rate(official, household_a)
    local_rule_set(
        actor=gu_user, parameter="livelihood.rate", value=rate - 0.1, valid_from=IN_FORCE
    )
    assert _local(official, household_a)["entitled"] is False
    body = client.get(f"/api/benefits/households/{household_a.pk}", **api_token(official)).json()
    local = next(p for p in body["programmes"] if p["id"] == "local_livelihood")
    assert local["entitled"] is False and local["threshold"] < threshold


def test_a_line_set_for_a_later_month_does_not_change_this_month(gu_user, official, near_line):
    rate = _rate(official, near_line)
    later = dt.date(dt.date.today().year + 1, 1, 1)
    local_rule_set(actor=gu_user, parameter="livelihood.rate", value=rate + 0.1, valid_from=later)
    assert _local(official, near_line)["entitled"] is False
    evaluation = household_entitlements(
        user=official, household=near_line, period=later.strftime("%Y-%m")
    )
    assert next(p for p in evaluation["programmes"] if p["id"] == "local_livelihood")["entitled"]


def test_the_sweep_uses_the_gu_line(gu_user, official, near_line, dong_a):
    period = f"{dt.date.today():%Y-%m}"

    def blind_livelihood() -> bool:
        run = registry_sweep(period=period)
        rows = dict((h, p) for h, p in run.results[str(dong_a.pk)]["blind_spots"])
        return "local_livelihood" in rows.get(near_line.pk, [])

    assert not blind_livelihood()
    rate = _rate(official, near_line)
    local_rule_set(
        actor=gu_user, parameter="livelihood.rate", value=rate + 0.1, valid_from=IN_FORCE
    )
    assert blind_livelihood()


def test_sweep_of_two_gus_applies_each_gus_own_lines(gu_user, official, near_line, dong_a):
    """A household of another gu with the same income keeps the national default."""
    from tests.factories import AreaFactory, HouseholdFactory

    other_gu = AreaFactory(code="2635000000", name="해운대구", level="sigungu", parent=None)
    other_dong = AreaFactory(code="2635051000", name="우동", parent=other_gu)
    twin = HouseholdFactory(dong=other_dong, head="이순자")
    income = near_line.means_records.get().other_income
    means_for(twin, other_income=income)
    local_rule_set(
        actor=gu_user,
        parameter="livelihood.rate",
        value=_rate(official, near_line) + 0.1,
        valid_from=IN_FORCE,
    )
    run = registry_sweep(period=f"{dt.date.today():%Y-%m}")
    ours = dict((h, p) for h, p in run.results[str(dong_a.pk)]["blind_spots"])
    theirs = dict((h, p) for h, p in run.results[str(other_dong.pk)]["blind_spots"])
    assert "local_livelihood" in ours[near_line.pk]
    assert "local_livelihood" not in theirs.get(twin.pk, [])


def test_gu_page_lists_default_current_value_and_history(client, gu_user, official):
    client.force_login(gu_user)
    html = client.get(URL).content.decode()
    assert "local.livelihood.rate" in html and "local.emergency_aid.amount" in html
    assert "the national default" in html and "Set a new value" in html
    response = client.post(
        URL,
        {
            "parameter": "emergency_aid.amount",
            "value": "700,000",
            "valid_from": "2026-01-01",
            "note": "조례 개정 2025-12",
        },
    )
    assert response.status_code == 302
    client.post(
        URL, {"parameter": "emergency_aid.amount", "value": "800000", "valid_from": "2026-06-01"}
    )
    history = list(LocalRuleSetting.objects.filter(parameter="emergency_aid.amount"))
    assert [int(s.value) for s in history] == [800_000, 700_000]  # both kept, newest first
    assert history[1].changed_by == gu_user and history[1].note == "조례 개정 2025-12"
    html = client.get(URL).content.decode()
    assert "₩800,000" in html and "₩700,000" in html and "조례 개정 2025-12" in html
    # dong staff read the same page without the form
    client.force_login(official)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "₩800,000" in html and "Set a new value" not in html


@pytest.mark.parametrize("role", ["official", "nurse"])
def test_dong_staff_cannot_change_a_line(client, request, role, gu):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(
        URL, {"parameter": "livelihood.rate", "value": "0.9", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 403
    assert not LocalRuleSetting.objects.exists()
    with pytest.raises(PermissionDenied):
        local_rule_set(
            actor=user, parameter="livelihood.rate", value=0.9, valid_from=dt.date(2026, 1, 1)
        )


@pytest.mark.parametrize("role", ["volunteer", "partner_user"])
def test_volunteers_and_partners_do_not_find_the_page(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"parameter": "livelihood.rate", "value": "0.9"}).status_code == 404


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "abc"}, "Enter a number."),
        ({"value": "60"}, "between 0.01 and 1"),
        ({"value": "0"}, "between 0.01 and 1"),
        ({"value": "0.123456"}, "at most four decimals"),
        ({"parameter": "emergency_aid.amount", "value": "500000000"}, "between 0 and 10,000,000"),
        ({"parameter": "emergency_aid.amount", "value": "1000.5"}, "whole won"),
        ({"parameter": "emergency_aid.amount", "value": "-1"}, "between 0 and 10,000,000"),
        ({"valid_from": "2026-01-15"}, "first day of a month"),
        ({"valid_from": "2024-01-01"}, "from 2025-01"),
        ({"valid_from": "2099-01-01"}, "five years"),
        ({"valid_from": "not a date"}, "Enter a valid date."),
        ({"parameter": "nbls.livelihood.rate"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_the_error_in_place(client, gu_user, data, message):
    client.force_login(gu_user)
    form = {"parameter": "livelihood.rate", "value": "0.65", "valid_from": "2026-01-01", **data}
    response = client.post(URL, form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LocalRuleSetting.objects.exists()


def test_service_refuses_a_national_parameter(gu_user):
    with pytest.raises(DomainError) as error:
        local_rule_set(
            actor=gu_user, parameter="nbls.livelihood.rate", value=0.5, valid_from=IN_FORCE
        )
    assert error.value.code == "invalid_parameter"


def test_the_national_yaml_is_untouched(gu_user, official, near_line):
    yaml = Path(PACKAGE_DIR / "parameters" / "local.yaml")
    before = yaml.read_bytes()
    local_rule_set(actor=gu_user, parameter="livelihood.rate", value=0.99, valid_from=IN_FORCE)
    _local(official, near_line)
    from maeul.benefits.rules import tax_benefit_system

    assert yaml.read_bytes() == before
    base = tax_benefit_system().parameters(f"{IN_FORCE}").local.livelihood.rate
    assert float(base) != 0.99  # the package's own system keeps the YAML value


def test_the_gu_system_is_built_once_per_settings(gu_user, gu, monkeypatch):
    from maeul.benefits import selectors

    built = []
    original = selectors.gu_system
    monkeypatch.setattr(selectors, "gu_system", lambda o: built.append(o) or original(o))
    selectors._SYSTEMS.clear()
    assert rules_system_for_gu(gu.pk) is None  # no setting: the package's system
    local_rule_set(actor=gu_user, parameter="livelihood.rate", value=0.7, valid_from=IN_FORCE)
    first = rules_system_for_gu(gu.pk)
    assert rules_system_for_gu(gu.pk) is first and len(built) == 1
    local_rule_set(actor=gu_user, parameter="livelihood.amount", value=300_000, valid_from=IN_FORCE)
    assert rules_system_for_gu(gu.pk) is not first and len(built) == 2
