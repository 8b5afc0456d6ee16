"""Properties of the rules over generated households (hypothesis): more income or property
never makes a household newly entitled to a means-tested programme, and a larger household
has a higher line."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from maeul.benefits.rules import CRISIS_SITUATIONS
from maeul.benefits.rules.evaluate import REGIONS, evaluate, evaluate_batch

MEANS_TESTED = (
    "nbls_livelihood",
    "nbls_medical",
    "nbls_housing",
    "nbls_education",
    "basic_pension",
    "disability_pension",
    "single_parent",
    "emergency_welfare",
)
#: Gap fillers help those a national programme leaves out by design, so more income can move
#: a household from the national programme to them; what is monotone is the union.
GAP_FILLERS = {
    "near_poor": ("near_poor", "nbls_livelihood", "nbls_medical"),
    "local_livelihood": ("local_livelihood", "nbls_livelihood"),
    "local_emergency_aid": ("local_emergency_aid", "emergency_welfare"),
}
FIELDS = ("earned_income", "other_income", "assets_general", "assets_financial", "car_value")

money = st.integers(min_value=0, max_value=8_000_000)
member = st.fixed_dictionaries(
    {
        "age": st.integers(min_value=0, max_value=95),
        "relation": st.sampled_from(["spouse", "child", "child", "parent", "other"]),
        "earned_income": money,
        "other_income": money,
        "assets_general": st.integers(min_value=0, max_value=400_000_000),
        "assets_financial": st.integers(min_value=0, max_value=30_000_000),
        "debts": st.integers(min_value=0, max_value=50_000_000),
        "car_value": st.integers(min_value=0, max_value=3_000_000),
        "severe": st.booleans(),
        "single_parent": st.booleans(),
    }
)
household = st.fixed_dictionaries(
    {
        "head": member,
        "others": st.lists(member, max_size=5),
        "region": st.sampled_from(REGIONS),
        "crisis": st.sampled_from(["", *CRISIS_SITUATIONS]),
        "period": st.sampled_from(["2025-03", "2026-03"]),
    }
)


def _arrays(households: list[dict]) -> dict:
    persons = []
    for h_index, h in enumerate(households):
        members = [{**h["head"], "relation": "head"}]
        spouse_taken = False
        for m in h["others"]:
            relation = m["relation"]
            if relation == "spouse" and spouse_taken:
                relation = "child"
            spouse_taken |= relation == "spouse"
            members.append({**m, "relation": relation})
        persons += [(h_index, m) for m in members]
    arrays = {
        "period": households[0]["period"],
        "household": np.array([p[0] for p in persons]),
        "relation": np.array([p[1]["relation"] for p in persons]),
        "age": np.array([p[1]["age"] for p in persons]),
        "disability": np.array([p[1]["severe"] for p in persons]),
        "single_parent": np.array([p[1]["single_parent"] for p in persons]),
        "region": np.array([h["region"] for h in households]),
        "crisis": np.array([h["crisis"] for h in households]),
    }
    for field in (*FIELDS, "debts"):
        arrays[field] = np.array([p[1][field] for p in persons], dtype=np.float64)
    return arrays


@settings(max_examples=150, deadline=None)
@given(
    h=household,
    field=st.sampled_from(FIELDS),
    who=st.integers(min_value=0, max_value=5),
    more=st.integers(min_value=1, max_value=5_000_000),
)
def test_more_income_or_property_never_makes_a_household_newly_entitled(h, field, who, more):
    richer = {**h, "others": [dict(m) for m in h["others"]], "head": dict(h["head"])}
    target = richer["head"] if who == 0 or who > len(h["others"]) else richer["others"][who - 1]
    target[field] += more
    result = evaluate_batch(_arrays([h, richer]))
    for programme in MEANS_TESTED:
        before, after = result[programme]
        assert not (after and not before), f"{field} +{more} made {programme} newly entitled"
    for programme, union in GAP_FILLERS.items():
        before = any(result[p][0] for p in union)
        after = any(result[p][1] for p in union)
        assert not (after and not before), f"{field} +{more} made {programme} newly entitled"


LINE_PROGRAMMES = (
    "nbls_livelihood",
    "nbls_medical",
    "nbls_housing",
    "nbls_education",
    "near_poor",
    "single_parent",
    "emergency_welfare",
    "local_emergency_aid",
    "local_livelihood",
)


@settings(max_examples=25, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=9),
    period=st.sampled_from(["2025-03", "2026-03", "2026-11"]),
    region=st.sampled_from(REGIONS),
)
def test_adding_a_member_raises_every_line(size, period, region):
    def thresholds(n: int) -> dict:
        members = [
            {
                "age": 40,
                "relation": "head" if i == 0 else "child",
                "earned_income": 0,
                "other_income": 0,
                "assets_general": 0,
                "assets_financial": 0,
                "debts": 0,
                "car_value": 0,
                "disability": None,
                "single_parent": False,
            }
            for i in range(n)
        ]
        payload = {
            "period": period,
            "household": {"region": region, "members": members, "crisis": None},
        }
        return {p["id"]: p["threshold"] for p in evaluate(payload)["programmes"]}

    smaller, larger = thresholds(size), thresholds(size + 1)
    for programme in LINE_PROGRAMMES:
        assert larger[programme] > smaller[programme], programme
