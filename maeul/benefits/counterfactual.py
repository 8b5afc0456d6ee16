"""For one household, the smallest single change that would change a decision: which fact or
document would make it entitled to a programme it is not entitled to now, and by how much.

Changes tried, each alone, on the household's own payload (``household_payload``):

- **the support obligors exempted** (a document: the obligor cannot support, or the family
  bond is broken — 부양의무자 기준 적용 제외), for a household with obligors;
- **a different region class** (a fact corrected: metropolitan / city / rural changes the
  property deductions);
- **a lower monthly income**, found to the nearest ₩10,000 (an income that fell, or a
  documented deduction such as medical expenses, which lowers recognised income the same way):
  taken from the members' other income first, then their earned income.

All variants are screened in one batch simulation (``evaluate_batch``) with the gu's lines.
Programmes the rules cannot decide for want of data are left out: what they need is already
said beside them. Nothing is saved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from maeul.benefits.rules import PROGRAMMES
from maeul.benefits.rules.evaluate import REGIONS, evaluate_batch

MONEY = (
    "earned_income",
    "other_income",
    "assets_general",
    "assets_financial",
    "debts",
    "car_value",
)
STEP = 10_000  # won: the precision of the income found
MAX_INCOME_VARIANTS = 400


@dataclass
class Change:
    kind: str  # "obligor", "region" or "income"
    amount: int  # the monthly amount the household would then get (0 where not modelled)
    region: str = ""
    income_lower_by: int = 0


def _arrays(payload: dict, variants: list[dict]) -> dict[str, Any]:
    """Batch arrays: one household per variant of the payload."""
    body = payload["household"]
    members = body["members"]
    n = len(variants)
    arrays: dict[str, Any] = {
        "period": payload["period"],
        "household": np.repeat(np.arange(n), len(members)),
        "age": np.array([m["age"] or 0 for _v in variants for m in members], dtype=np.int32),
        "relation": np.array([m["relation"] for _v in variants for m in members]),
        "disability": np.array([m.get("disability") or "" for _v in variants for m in members]),
        "single_parent": np.array(
            [bool(m.get("single_parent")) for _v in variants for m in members]
        ),
    }
    for field in MONEY:
        arrays[field] = np.array(
            [v["money"][k][field] for v in variants for k in range(len(members))], dtype=np.float64
        )
    arrays["region"] = np.array([v["region"] for v in variants])
    arrays["crisis"] = np.array([bool(body.get("crisis")) for _v in variants])
    arrays["obligor_annual_income"] = np.array(
        [v["obligor_income"] for v in variants], dtype=np.float64
    )
    arrays["obligor_property"] = np.array(
        [v["obligor_property"] for v in variants], dtype=np.float64
    )
    return arrays


def _lower(money: list[dict], by: int) -> list[dict]:
    """The members' money with ``by`` won less income: other income first, then earned."""
    out = [dict(m) for m in money]
    left = by
    for field in ("other_income", "earned_income"):
        for m in out:
            take = min(left, m[field])
            m[field] -= take
            left -= take
    return out


def counterfactuals(
    payload: dict, *, system: Any = None, programmes: Iterable[str] | None = None
) -> dict[str, list[Change]]:
    """Programme → the single changes that would make the household entitled (the cheapest
    first: a fact or document before an income change), for each programme the household is
    decided *not* entitled to now (``programmes``: only these, e.g. those ``evaluate`` found
    not entitled). An empty dict when no single change helps."""
    body = payload["household"]
    members = body["members"]
    money = [{field: float(m.get(field) or 0) for field in MONEY} for m in members]
    obligors = body.get("support_obligors") or []
    obligor_income = max([float(o.get("annual_income") or 0) for o in obligors] or [0.0])
    obligor_property = max([float(o.get("assets") or 0) for o in obligors] or [0.0])
    base = {
        "region": body["region"],
        "money": money,
        "obligor_income": obligor_income,
        "obligor_property": obligor_property,
    }
    variants: list[dict] = [base]
    labels: list[tuple[str, Any]] = [("base", None)]
    if obligor_income or obligor_property:
        variants.append({**base, "obligor_income": 0.0, "obligor_property": 0.0})
        labels.append(("obligor", None))
    for region in REGIONS:
        if region != body["region"]:
            variants.append({**base, "region": region})
            labels.append(("region", region))
    income = sum(m["earned_income"] + m["other_income"] for m in money)
    steps = int(min(income // STEP, MAX_INCOME_VARIANTS))
    stride = max(1, int(np.ceil(income / STEP / MAX_INCOME_VARIANTS))) if income else 1
    for k in range(1, steps + 1):
        by = min(int(k * stride * STEP), int(income))
        variants.append({**base, "money": _lower(money, by)})
        labels.append(("income", by))
    if income and labels[-1] != ("income", int(income)):
        variants.append({**base, "money": _lower(money, int(income))})
        labels.append(("income", int(income)))
    out = evaluate_batch(_arrays(payload, variants), system=system)
    missing = _undecided(payload)
    wanted = set(PROGRAMMES if programmes is None else programmes)
    result: dict[str, list[Change]] = {}
    for programme in PROGRAMMES:
        if programme not in wanted:
            continue
        entitled = np.asarray(out[programme], dtype=bool)
        if entitled[0] or programme in missing:
            continue
        amounts = np.asarray(out.get(f"{programme}_amount", np.zeros(len(variants))), dtype=float)
        changes: list[Change] = []
        income_found = False
        for i, (kind, detail) in enumerate(labels[1:], start=1):
            if not entitled[i]:
                continue
            if kind == "obligor":
                changes.append(Change("obligor", int(round(amounts[i]))))
            elif kind == "region":
                changes.append(Change("region", int(round(amounts[i])), region=detail))
            elif kind == "income" and not income_found:
                income_found = True  # the first (smallest) reduction that makes it entitled
                changes.append(Change("income", int(round(amounts[i])), income_lower_by=detail))
        if changes:
            result[programme] = changes
    return result


def _undecided(payload: dict) -> set[str]:
    """Programmes the rules cannot decide for this payload (money or ages unknown): every
    means-tested one when a member's money is unknown, all when an age is."""
    members = payload["household"]["members"]
    if any(m.get("age") is None for m in members):
        return set(PROGRAMMES)
    if any(m.get(field) is None for m in members for field in MONEY):
        return set(PROGRAMMES) - {"child_allowance"}
    return set()
