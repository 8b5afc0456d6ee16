"""bench/eligibility.py --from-db: the people models read into evaluate_batch's arrays."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from maeul.benefits.rules.evaluate import evaluate_batch
from maeul.people.models import BenefitReceipt, Resident

BENCH = Path(__file__).resolve().parents[3] / "bench" / "eligibility.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_eligibility", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_sweep_of_the_database_finds_blind_spots_and_keeps_receipts(household_a, household_b):
    Resident.objects.create(
        household=household_b,
        name="박민수",
        name_key="박민수",
        relation="grandchild",
        birth_date=dt.date(2020, 5, 1),
    )
    BenefitReceipt.objects.create(
        household=household_a, programme="basic_pension", started_on=dt.date(2024, 1, 1)
    )
    BenefitReceipt.objects.create(  # ended: not a current receipt
        household=household_b,
        programme="basic_pension",
        started_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2024, 1, 1),
    )
    arrays = _bench().registry_arrays_from_db(period="2026-03")
    assert arrays["age"].tolist() == [76, 76, 5]
    assert arrays["household"].tolist() == [0, 1, 1]
    result = evaluate_batch(arrays)
    assert result["basic_pension"].tolist() == [True, True]
    assert result["blind_spot_basic_pension"].tolist() == [False, True]
    assert result["child_allowance"].tolist() == [False, True]
