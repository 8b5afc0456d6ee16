"""evaluate(): the API's view of the rules — answers, reasons, missing data, bad input; and
evaluate_batch(): the same answers for many households in one simulation."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from maeul.benefits.rules import CRISIS_SITUATIONS, PROGRAMMES
from maeul.benefits.rules import evaluate as evaluate_module
from maeul.benefits.rules.evaluate import evaluate, evaluate_batch


def person(**overrides) -> dict:
    base = {
        "age": 72,
        "relation": "head",
        "earned_income": 0,
        "other_income": 0,
        "assets_general": 0,
        "assets_financial": 0,
        "debts": 0,
        "car_value": 0,
        "disability": None,
        "single_parent": False,
    }
    return {**base, **overrides}


def payload(*members, period="2026-03", region="metropolitan", crisis=None, obligors=()):
    return {
        "period": period,
        "household": {
            "region": region,
            "members": list(members) or [person()],
            "support_obligors": list(obligors),
            "crisis": crisis,
        },
    }


def by_id(result: dict) -> dict:
    return {p["id"]: p for p in result["programmes"]}


def test_every_programme_answers_in_a_fixed_order():
    result = evaluate(payload())
    assert [p["id"] for p in result["programmes"]] == list(PROGRAMMES)
    for item in result["programmes"]:
        assert set(item) == {"id", "entitled", "amount", "reason", "threshold", "distance"}
        assert item["reason"]["ko"] and item["reason"]["en"]


def test_reason_names_income_line_and_household_size():
    result = by_id(evaluate(payload(person(other_income=1_020_000), period="2025-03")))
    livelihood = result["nbls_livelihood"]
    assert livelihood["entitled"] is False
    assert livelihood["reason"]["en"] == (
        "recognised income ₩1,020,000 is above the livelihood line ₩765,444 for 1 person"
    )
    assert livelihood["reason"]["ko"] == (
        "소득인정액 1,020,000원이 1인 가구 생계급여 선정기준 765,444원을 초과합니다"
    )
    assert livelihood["threshold"] == 765_444
    assert livelihood["distance"] == 765_444 - 1_020_000


def test_livelihood_pays_the_line_less_recognised_income():
    result = by_id(evaluate(payload(person(other_income=300_000))))
    assert result["nbls_livelihood"]["entitled"] is True
    assert result["nbls_livelihood"]["amount"] == 820_556 - 300_000
    assert result["near_poor"]["entitled"] is False  # livelihood applies instead
    assert "livelihood or medical" in result["near_poor"]["reason"]["en"]


def test_couple_each_gets_basic_pension_less_twenty_percent():
    result = by_id(evaluate(payload(person(), person(age=68, relation="spouse"))))
    assert result["basic_pension"]["entitled"] is True
    assert result["basic_pension"]["amount"] == 2 * 279_760
    assert result["basic_pension"]["threshold"] == 3_952_000


def test_high_earning_obligor_excludes_livelihood_but_not_housing():
    result = by_id(
        evaluate(
            payload(obligors=[{"relation": "child", "annual_income": 150_000_000, "assets": 0}])
        )
    )
    assert result["nbls_livelihood"]["entitled"] is False
    assert "support obligor" in result["nbls_livelihood"]["reason"]["en"]
    assert result["nbls_housing"]["entitled"] is True
    assert result["local_livelihood"]["entitled"] is True


def test_crisis_with_low_income_gets_emergency_support_for_the_household_size():
    result = by_id(
        evaluate(payload(person(age=45), person(age=10, relation="child"), crisis="job_loss"))
    )
    assert result["emergency_welfare"]["entitled"] is True
    assert result["emergency_welfare"]["amount"] == 1_343_700
    assert result["local_emergency_aid"]["entitled"] is False


def test_missing_income_makes_means_tested_programmes_undecided_and_names_the_field():
    member = person(age=5, relation="child")
    del member["earned_income"]
    result = by_id(evaluate(payload(person(age=35), member)))
    for programme in ("nbls_livelihood", "nbls_housing", "single_parent", "emergency_welfare"):
        assert result[programme]["entitled"] is None
        assert result[programme]["amount"] is None
        assert "members[1].earned_income" in result[programme]["reason"]["en"]
        assert "members[1].earned_income" in result[programme]["reason"]["ko"]
    assert result["child_allowance"]["entitled"] is True  # no means test


def test_missing_age_makes_age_based_programmes_undecided():
    result = by_id(evaluate(payload(person(age=None))))
    assert result["child_allowance"]["entitled"] is None
    assert "members[0].age" in result["child_allowance"]["reason"]["en"]
    assert result["basic_pension"]["entitled"] is None
    assert result["nbls_housing"]["entitled"] is True


def test_missing_obligor_income_leaves_only_obligor_programmes_undecided():
    result = by_id(evaluate(payload(obligors=[{"relation": "child", "annual_income": None}])))
    assert result["nbls_livelihood"]["entitled"] is None
    assert "support_obligors[0].annual_income" in result["nbls_livelihood"]["reason"]["en"]
    assert result["nbls_housing"]["entitled"] is True


def test_missing_crisis_key_leaves_emergency_programmes_undecided():
    body = payload()
    del body["household"]["crisis"]
    result = by_id(evaluate(body))
    assert result["emergency_welfare"]["entitled"] is None
    assert "household.crisis" in result["emergency_welfare"]["reason"]["en"]


def test_missing_income_of_someone_outside_the_pension_unit_does_not_block_basic_pension():
    grandchild = person(age=30, relation="child")
    grandchild["other_income"] = None
    result = by_id(evaluate(payload(person(), grandchild)))
    assert result["basic_pension"]["entitled"] is True
    assert result["nbls_livelihood"]["entitled"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda b: b["household"]["members"][0].update(earned_income=-1),
            "members[0].earned_income must not be negative",
        ),
        (
            lambda b: b["household"]["members"][0].update(other_income="100"),
            "members[0].other_income must be a number",
        ),
        (
            lambda b: b["household"]["members"][0].update(debts=True),
            "members[0].debts must be a number",
        ),
        (lambda b: b["household"].update(region="seoul"), "household.region must be one of"),
        (lambda b: b.update(period="2026-13"), "has no month 13"),
        (lambda b: b.update(period="2026/03"), "period must be a month 'YYYY-MM'"),
        (lambda b: b.update(period=None), "period must be a month"),
        (lambda b: b.update(period="2024-12"), "before 2025-01"),
        (
            lambda b: b["household"]["members"][0].update(relation="cousin"),
            "members[0].relation must be one of",
        ),
        (
            lambda b: b["household"]["members"][0].update(relation="child"),
            "exactly one member with relation 'head'",
        ),
        (lambda b: b["household"]["members"][0].update(age=-3), "members[0].age"),
        (
            lambda b: b["household"]["members"][0].update(disability="blind"),
            "members[0].disability",
        ),
        (
            lambda b: b["household"].update(crisis="bored"),
            "household.crisis must be null or one of",
        ),
        (lambda b: b["household"].update(members=[]), "household.members must be a non-empty list"),
        (
            lambda b: b["household"].update(support_obligors=[{"annual_income": -5}]),
            "support_obligors[0].annual_income must not be negative",
        ),
    ],
)
def test_bad_input_raises_a_clear_value_error(change, message):
    body = copy.deepcopy(payload())
    change(body)
    with pytest.raises(ValueError) as error:
        evaluate(body)
    assert message in str(error.value)


def test_crisis_situations_have_korean_and_english_labels():
    assert {
        "main_earner_loss",
        "illness_injury",
        "domestic_violence",
        "fire_disaster",
        "business_closure",
        "job_loss",
    } <= set(CRISIS_SITUATIONS)
    for ko, en in CRISIS_SITUATIONS.values():
        assert ko and en and ko != en


def _batch_of(bodies: list[dict]) -> dict:
    persons = [(i, m) for i, b in enumerate(bodies) for m in b["household"]["members"]]
    arrays = {
        "period": bodies[0]["period"],
        "household": np.array([i for i, _ in persons]),
        "relation": np.array([m["relation"] for _, m in persons]),
        "age": np.array([m["age"] for _, m in persons]),
        "disability": np.array([m["disability"] or "" for _, m in persons]),
        "single_parent": np.array([m["single_parent"] for _, m in persons]),
        "region": np.array([b["household"]["region"] for b in bodies]),
        "crisis": np.array([b["household"]["crisis"] or "" for b in bodies]),
    }
    for field in evaluate_module.MONEY_FIELDS:
        arrays[field] = np.array([m[field] for _, m in persons], dtype=np.float64)
    return arrays


BODIES = [
    payload(person(other_income=300_000)),
    payload(
        person(age=45, earned_income=2_000_000), person(age=6, relation="child"), crisis="job_loss"
    ),
    payload(
        person(age=40, single_parent=True, other_income=900_000),
        person(age=12, relation="child"),
        region="rural",
    ),
    payload(
        person(age=30, disability="severe"),
        person(age=30, relation="spouse", earned_income=3_500_000),
        region="city",
    ),
    payload(person(age=70, assets_general=400_000_000), person(age=66, relation="spouse")),
]


def test_batch_gives_the_same_answers_as_one_at_a_time(monkeypatch):
    calls = []
    real = evaluate_module.simulate
    monkeypatch.setattr(evaluate_module, "simulate", lambda **kw: calls.append(1) or real(**kw))
    result = evaluate_batch(_batch_of(BODIES))
    assert len(calls) == 1  # one simulation for all households
    for i, body in enumerate(BODIES):
        for item in evaluate(body)["programmes"]:
            assert bool(result[item["id"]][i]) is item["entitled"], (i, item["id"])
            if item["amount"] is not None and f"{item['id']}_amount" in result:
                assert round(float(result[f"{item['id']}_amount"][i])) == item["amount"]


def test_batch_flags_unqualified_beneficiaries_and_blind_spots():
    arrays = _batch_of(BODIES)
    arrays["receipt_nbls_livelihood"] = np.array([False, False, False, False, True])
    result = evaluate_batch(arrays)
    assert result["blind_spot_nbls_livelihood"].tolist() == [True, False, True, False, False]
    assert result["unqualified_nbls_livelihood"].tolist() == [False, False, False, False, True]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("earned_income", lambda a: -a["earned_income"] - 1, "earned_income must not be negative"),
        ("region", lambda a: np.array(["moon"] * len(a["region"])), "region has unknown values"),
        (
            "relation",
            lambda a: np.array(["cousin"] * len(a["relation"])),
            "relation has unknown values",
        ),
        ("household", lambda a: a["household"] + 10, "household indexes"),
        ("crisis", lambda a: np.array(["x"] * len(a["crisis"])), "crisis has unknown codes"),
        ("period", lambda a: "2026-3", "period must be a month"),
    ],
)
def test_batch_rejects_bad_arrays(key, value, message):
    arrays = _batch_of(BODIES)
    arrays[key] = value(arrays)
    with pytest.raises(ValueError, match=message):
        evaluate_batch(arrays)
