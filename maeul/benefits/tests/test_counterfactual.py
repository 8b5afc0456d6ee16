"""The smallest single change that would make a household entitled: each change found really
flips the decision when applied (checked with the single-household rules), the income found is
the smallest to ₩10,000, and programmes already entitled or undecided are left alone."""

from __future__ import annotations

import copy

import pytest

from maeul.benefits.counterfactual import STEP, counterfactuals
from maeul.benefits.rules.evaluate import evaluate


def payload(*, region="metropolitan", income=0, assets=0, obligors=(), age=76):
    return {
        "period": "2026-11",
        "household": {
            "region": region,
            "crisis": None,
            "members": [
                {
                    "age": age,
                    "relation": "head",
                    "disability": None,
                    "single_parent": False,
                    "earned_income": 0,
                    "other_income": income,
                    "assets_general": assets,
                    "assets_financial": 0,
                    "debts": 0,
                    "car_value": 0,
                }
            ],
            "support_obligors": list(obligors),
        },
    }


def entitled(body: dict) -> dict:
    return {p["id"]: (p["entitled"], p["amount"]) for p in evaluate(body)["programmes"]}


def lowered(body: dict, by: int) -> dict:
    out = copy.deepcopy(body)
    out["household"]["members"][0]["other_income"] -= by
    return out


def test_an_income_just_above_the_gus_line_needs_to_fall_by_the_gap():
    body = payload(income=1_600_000)  # the gu's line for one person: 60% of ₩2,564,238
    assert entitled(body)["local_livelihood"][0] is False
    changes = counterfactuals(body)["local_livelihood"]
    assert [c.kind for c in changes] == ["income"]
    change = changes[0]
    assert change.income_lower_by == 70_000  # 1,600,000 − 1,538,543 = 61,457 → ₩70,000
    assert entitled(lowered(body, change.income_lower_by))["local_livelihood"] == (True, 200_000)
    assert entitled(lowered(body, change.income_lower_by - STEP))["local_livelihood"][0] is False
    assert change.amount == 200_000


def test_every_income_found_is_the_smallest_that_flips_the_decision():
    body = payload(income=1_600_000)
    for programme, changes in counterfactuals(body).items():
        for change in changes:
            assert change.kind == "income"
            assert entitled(lowered(body, change.income_lower_by))[programme][0] is True
            assert entitled(lowered(body, change.income_lower_by - STEP))[programme][0] is False


def test_an_obligor_exemption_is_found():
    rich_child = {"relation": "child", "annual_income": 150_000_000, "assets": 900_000_000}
    body = payload(income=300_000, obligors=[rich_child])
    assert entitled(body)["nbls_livelihood"][0] is False
    change = counterfactuals(body)["nbls_livelihood"][0]
    assert change.kind == "obligor"
    exempted = copy.deepcopy(body)
    exempted["household"]["support_obligors"] = []
    assert entitled(exempted)["nbls_livelihood"] == (True, change.amount)


def test_a_different_region_class_is_found():
    body = payload(region="rural", income=200_000, assets=70_000_000)
    changes = counterfactuals(body)["nbls_livelihood"]
    assert changes[0].kind == "region" and changes[0].region == "metropolitan"
    moved = copy.deepcopy(body)
    moved["household"]["region"] = "metropolitan"
    assert entitled(moved)["nbls_livelihood"] == (True, changes[0].amount)


def test_entitled_and_undecided_programmes_are_left_alone():
    body = payload(income=1_600_000)
    found = counterfactuals(body)
    assert "basic_pension" not in found  # already entitled
    unknown = copy.deepcopy(body)
    unknown["household"]["members"][0]["other_income"] = None
    assert counterfactuals(unknown) == {}
    assert counterfactuals(body, programmes=["local_livelihood"]).keys() == {"local_livelihood"}


@pytest.mark.parametrize("income", [0, 10_000_000])
def test_nothing_helps_when_no_single_change_would(income):
    # no income to lose; or so much that even losing it all is checked without error
    body = payload(income=income, age=40)
    found = counterfactuals(body, programmes=["basic_pension"])
    assert found == {}
