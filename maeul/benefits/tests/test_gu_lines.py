"""A gu changes its own ordinance lines; national lines are not its to change."""

from __future__ import annotations

import pytest

from maeul.benefits.rules.evaluate import evaluate
from maeul.benefits.rules.reforms import gu_system

BODY = {
    "period": "2026-03",
    "household": {
        "region": "metropolitan",
        "members": [
            {
                "age": 50,
                "relation": "head",
                "earned_income": 0,
                "other_income": 1_700_000,
                "assets_general": 0,
                "assets_financial": 0,
                "debts": 0,
                "car_value": 0,
                "disability": None,
                "single_parent": False,
            }
        ],
        "support_obligors": [],
        "crisis": None,
    },
}


def _local(result: dict) -> dict:
    return next(p for p in result["programmes"] if p["id"] == "local_livelihood")


def test_gu_raising_its_line_to_seventy_percent_covers_more_households():
    assert _local(evaluate(BODY))["entitled"] is False  # 60%: 1,538,543 for 1 person
    system = gu_system({"livelihood.rate": 0.70, "livelihood.amount": 250_000})
    widened = _local(evaluate(BODY, system=system))
    assert widened["entitled"] is True
    assert widened["threshold"] == 1_794_967  # 70% of 2,564,238
    assert widened["amount"] == 250_000


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nbls.livelihood.rate": 0.5}, "is not a gu parameter"),
        ({"livelihood": 0.5}, "is a group of parameters"),
        ({"livelihood.rate": -1}, "non-negative number"),
    ],
)
def test_gu_cannot_edit_national_lines_or_set_nonsense(overrides, message):
    with pytest.raises(ValueError, match=message):
        gu_system(overrides)
