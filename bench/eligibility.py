"""Benchmark of the eligibility rules (issue 3): the registry sweep.

    .venv/bin/python bench/eligibility.py                 # synthetic 500,000 residents
    .venv/bin/python bench/eligibility.py --residents 100000 --sample 500
    .venv/bin/python bench/eligibility.py --from-db       # the households in the database

Times ``evaluate_batch`` over every programme for the whole registry (one OpenFisca
simulation; target < 10 s on the 2-core machine), then ``evaluate`` one household at a time
on a sample (target: batch ≥ 50× faster per household), and checks that both agree on the
sample. The synthetic registry is deterministic (seeded numpy).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from maeul.benefits.rules import CRISIS_SITUATIONS, PROGRAMMES  # noqa: E402
from maeul.benefits.rules.evaluate import (  # noqa: E402
    MONEY_FIELDS,
    REGIONS,
    ROLE_INDEX,
    evaluate,
    evaluate_batch,
)

RELATIONS = ("head", "spouse", "child", "parent", "other")


def synthetic_registry(residents: int = 500_000, *, seed: int = 3) -> dict[str, np.ndarray]:
    """A deterministic registry of about ``residents`` people in households of 1–6 persons
    (Korean size shares, 2020 census order of magnitude), incomes and assets skewed low as in
    a hub's target population."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(np.arange(1, 7), p=[0.36, 0.29, 0.19, 0.12, 0.03, 0.01], size=residents)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), residents) + 1]
    n_households = len(sizes)
    household = np.repeat(np.arange(n_households), sizes)
    n = len(household)
    position = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    has_spouse = rng.random(n_households) < 0.55
    # relation: 0 head; 1 spouse (if the household has one); then children, a parent at times
    relation = np.full(n, ROLE_INDEX["child"], dtype=np.int16)
    relation[position == 0] = ROLE_INDEX["head"]
    relation[(position == 1) & has_spouse[household]] = ROLE_INDEX["spouse"]
    extra = rng.random(n)
    relation[(position >= 2) & (extra < 0.08)] = ROLE_INDEX["parent"]
    relation[(position >= 2) & (extra > 0.97)] = ROLE_INDEX["other"]
    head_age = rng.integers(22, 96, n_households)
    age = head_age[household].copy()
    spouse = relation == ROLE_INDEX["spouse"]
    age[spouse] = np.clip(age[spouse] + rng.integers(-6, 7, spouse.sum()), 19, 100)
    child = relation == ROLE_INDEX["child"]
    age[child] = np.clip(age[child] - rng.integers(22, 40, child.sum()), 0, 80)
    parent = relation == ROLE_INDEX["parent"]
    age[parent] = np.clip(age[parent] + rng.integers(22, 35, parent.sum()), 40, 105)
    other = relation == ROLE_INDEX["other"]
    age[other] = rng.integers(0, 90, other.sum())
    working = (age >= 19) & (age < 70) & (rng.random(n) < 0.6)
    earned = np.where(working, np.round(rng.lognormal(14.6, 0.6, n), -3), 0)
    other_income = np.where(rng.random(n) < 0.35, np.round(rng.lognormal(12.8, 0.8, n), -3), 0)
    adult = age >= 19
    assets_general = np.where(
        adult & (rng.random(n) < 0.45), np.round(rng.lognormal(18.2, 1.0, n), -4), 0
    )
    assets_financial = np.where(adult, np.round(rng.lognormal(15.0, 1.3, n), -3), 0)
    debts = np.where(adult & (rng.random(n) < 0.25), np.round(rng.lognormal(17.0, 1.0, n), -4), 0)
    car_value = np.where(
        adult & (rng.random(n) < 0.2), np.round(rng.lognormal(16.0, 0.6, n), -4), 0
    )
    disability = np.where(
        rng.random(n) < 0.02, "severe", np.where(rng.random(n) < 0.03, "mild", "")
    )
    lone = ~has_spouse[household] & (relation == ROLE_INDEX["head"]) & (sizes[household] > 1)
    single_parent = lone & (rng.random(n) < 0.5) & (age < 60)
    codes = np.array(["", *CRISIS_SITUATIONS])
    crisis = np.where(
        rng.random(n_households) < 0.03, codes[rng.integers(1, len(codes), n_households)], ""
    )
    region = rng.choice(np.array(REGIONS), p=[0.6, 0.3, 0.1], size=n_households)
    arrays: dict[str, np.ndarray] = {
        "household": household,
        "age": age.astype(np.int32),
        "relation": relation,
        "earned_income": earned,
        "other_income": other_income,
        "assets_general": assets_general,
        "assets_financial": assets_financial,
        "debts": debts,
        "car_value": car_value,
        "disability": disability,
        "single_parent": single_parent,
        "region": region,
        "crisis": crisis,
        "receipt_nbls_livelihood": rng.random(n_households) < 0.04,
        "receipt_basic_pension": rng.random(n_households) < 0.2,
    }
    return arrays


def registry_arrays_from_db(*, period: str) -> dict[str, np.ndarray]:
    """The households of the database as arrays for ``evaluate_batch``, read by the sweep's
    own loader (``maeul.benefits.selectors.registry_arrays``: residents, ``MeansRecord``
    income and property, region and crisis, support obligors, current ``BenefitReceipt`` rows,
    with a few ``values_list`` queries). Members without a means record count as zero income
    here (the sweep itself judges such households only on child allowance); a household
    without a recorded region takes the gu's (Busan: metropolitan)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")
    import django

    django.setup()
    from maeul.benefits.selectors import registry_arrays

    arrays = registry_arrays(period=period)
    if not len(arrays["household_ids"]):
        raise SystemExit("no residents in the database")
    print(
        f"{arrays['resident_count']} residents in {len(arrays['household_ids'])} households "
        f"({arrays['unknown_birth']} without birth date: age 0; "
        f"{int((~arrays['complete']).sum())} households with means not fully known)"
    )
    for key in ("household_ids", "household_dong", "complete", "resident_count", "unknown_birth"):
        arrays.pop(key)
    return arrays


def sweep_from_db(*, period: str) -> None:
    """The registry sweep service end to end on the database (queries, arrays, one
    simulation, per-dong lists, the SweepRun row): the figure the gu page waits for."""
    from maeul.benefits.services import registry_sweep

    t0 = time.perf_counter()
    run = registry_sweep(period=period)
    total = time.perf_counter() - t0
    print(
        f"registry_sweep (database → results, {run.households:,} households, "
        f"{run.residents:,} residents): {run.seconds:.2f} s ({total:.2f} s with saving the run); "
        f"blind spots {run.blind_spots:,}, unqualified receipts {run.unqualified:,}"
    )


def household_payload(
    arrays: dict[str, np.ndarray], h: int, starts: np.ndarray, period: str
) -> dict:
    """The ``evaluate`` request body of household ``h`` of a registry (persons sorted by
    household)."""
    lo, hi = starts[h], starts[h + 1]
    members = []
    relation = arrays["relation"]
    for i in range(lo, hi):
        rel = relation[i]
        members.append(
            {
                "age": int(arrays["age"][i]),
                "relation": RELATIONS[int(rel)]
                if np.issubdtype(type(rel), np.integer)
                else str(rel),
                **{f: float(arrays[f][i]) for f in MONEY_FIELDS},
                "disability": (str(arrays["disability"][i]) or None)
                if "disability" in arrays
                else None,
                "single_parent": bool(arrays["single_parent"][i])
                if "single_parent" in arrays
                else False,
            }
        )
    crisis = ""
    if "crisis" in arrays:
        value = arrays["crisis"][h]
        crisis = ("other_ordinance" if value else "") if isinstance(value, np.bool_) else str(value)
    obligors = []
    if "obligor_annual_income" in arrays:
        income = float(arrays["obligor_annual_income"][h])
        assets = float(arrays["obligor_property"][h])
        if income or assets:
            obligors.append({"relation": "child", "annual_income": income, "assets": assets})
    return {
        "period": period,
        "household": {
            "region": str(arrays["region"][h]),
            "members": members,
            "support_obligors": obligors,
            "crisis": crisis or None,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=500_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--period", default="2026-03")
    parser.add_argument("--from-db", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    if args.from_db:
        arrays = registry_arrays_from_db(period=args.period)
        # warm-up (the YAML parse), then the sweep as the command and the gu page run it
        evaluate_batch({k: v if k == "period" else v[:1] for k, v in arrays.items()})
        sweep_from_db(period=args.period)
    else:
        arrays = synthetic_registry(args.residents)
    arrays["period"] = args.period
    n_persons = len(arrays["household"])
    n_households = len(arrays["region"])
    print(
        f"registry: {n_persons:,} residents, {n_households:,} households (built in {time.perf_counter() - t0:.2f} s)"
    )

    # warm-up: build the tax-benefit system (parses the YAML) once, outside the timings
    evaluate_batch({k: v if k == "period" else v[:1] for k, v in arrays.items()})
    t0 = time.perf_counter()
    result = evaluate_batch(arrays)
    batch_s = time.perf_counter() - t0
    print(
        f"evaluate_batch, {len(PROGRAMMES)} programmes, period {args.period}: {batch_s:.2f} s "
        f"({batch_s / n_households * 1e6:.1f} µs per household)"
    )
    for programme in PROGRAMMES:
        entitled = result[programme]
        line = f"  {programme:<20} {int(entitled.sum()):>8,} households ({entitled.mean():6.1%})"
        if f"unqualified_{programme}" in result:
            line += (
                f"; receiving but not entitled {int(result[f'unqualified_{programme}'].sum()):,}"
                f", entitled not receiving {int(result[f'blind_spot_{programme}'].sum()):,}"
            )
        print(line)

    order = np.argsort(arrays["household"], kind="stable")
    if not np.array_equal(order, np.arange(n_persons)):
        raise SystemExit("persons must be sorted by household for the one-at-a-time sample")
    starts = np.concatenate(
        [[0], np.cumsum(np.bincount(arrays["household"], minlength=n_households))]
    )
    rng = np.random.default_rng(7)
    sample = np.sort(rng.choice(n_households, size=min(args.sample, n_households), replace=False))
    payloads = [household_payload(arrays, int(h), starts, args.period) for h in sample]
    t0 = time.perf_counter()
    answers = [evaluate(p) for p in payloads]
    single_s = time.perf_counter() - t0
    per_single = single_s / len(sample)
    per_batch = batch_s / n_households
    print(
        f"evaluate one at a time, {len(sample):,} households: {single_s:.2f} s "
        f"({per_single * 1e3:.2f} ms per household)"
    )
    print(f"speed-up of the batch per household: {per_single / per_batch:,.0f}×")
    disagree = 0
    for h, answer in zip(sample, answers, strict=True):
        for item in answer["programmes"]:
            if item["entitled"] is not None and item["entitled"] != bool(result[item["id"]][h]):
                disagree += 1
    print(
        f"batch and one-at-a-time disagree on {disagree} of {len(sample) * len(PROGRAMMES):,} answers"
    )


if __name__ == "__main__":
    main()
