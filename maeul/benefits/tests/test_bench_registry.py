"""The sweep's loader read straight from the cursor (``registry_arrays``), and
``bench/eligibility.py --db-500k`` end to end on a small registry."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone

from maeul.benefits.models import HouseholdSituation, MeansRecord, SupportObligor
from maeul.benefits.selectors import registry_arrays
from maeul.people.models import BenefitReceipt, Resident

ROOT = Path(__file__).resolve().parents[3]


def _member(household, relation: str, birth: dt.date | None, disability: str = "") -> Resident:
    return Resident.objects.create(
        household=household,
        name="가족",
        name_key="가족",
        relation=relation,
        birth_date=birth,
        disability=disability,
    )


@pytest.mark.django_db
def test_arrays_hold_each_members_means_and_the_households_facts(
    household_a, household_b, dong_a, dong_b
):
    child = _member(household_a, "child", dt.date(2016, 3, 2))
    _member(household_a, "grandchild", None, disability="severe")
    head_a = household_a.members.get(relation="head")
    MeansRecord.objects.create(
        resident=head_a,
        household=household_a,
        earned_income=1_000_000,
        other_income=0,
        assets_general=5_000_000,
        assets_financial=0,
        debts=0,
        car_value=0,
        single_parent=True,
        recorded_on=dt.date(2026, 1, 1),
    )
    MeansRecord.objects.create(  # one money field unknown: the household is incomplete
        resident=child, household=household_a, earned_income=0, recorded_on=dt.date(2026, 1, 1)
    )
    HouseholdSituation.objects.create(
        household=household_a, region="city", crisis="job_loss", recorded_on=dt.date(2026, 1, 1)
    )
    for income, assets in ((30_000_000, None), (10_000_000, 900_000_000)):
        SupportObligor.objects.create(
            household=household_a,
            relation="child",
            annual_income=income,
            assets=assets,
            recorded_on=dt.date(2026, 1, 1),
        )
    BenefitReceipt.objects.create(
        household=household_a, programme="basic_pension", started_on=dt.date(2024, 1, 1)
    )
    BenefitReceipt.objects.create(  # starts after the period: not current
        household=household_a, programme="nbls_housing", started_on=dt.date(2026, 4, 1)
    )
    BenefitReceipt.objects.create(  # ended: not current
        household=household_b,
        programme="basic_pension",
        started_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2025, 1, 1),
    )
    gone = type(household_b).objects.create(dong=dong_b, address="x", address_key="x")
    _member(gone, "head", dt.date(1990, 1, 1))
    type(household_b).objects.filter(pk=gone.pk).update(anonymised_at=timezone.now())

    a = registry_arrays(period="2026-03")
    assert a["household_ids"].tolist() == [household_a.pk, household_b.pk]
    assert a["household"].tolist() == [0, 0, 0, 1]
    assert a["age"].tolist() == [76, 9, 0, 76] and a["unknown_birth"] == 1
    assert a["relation"].tolist() == ["head", "child", "grandchild", "head"]
    assert a["disability"].tolist() == ["", "", "severe", ""]
    assert a["earned_income"].tolist() == [1_000_000, 0, 0, 0]
    assert a["assets_general"].tolist() == [5_000_000, 0, 0, 0]
    assert a["single_parent"].tolist() == [True, False, False, False]
    assert a["complete"].tolist() == [False, False]
    assert a["region"].tolist() == ["city", "metropolitan"]
    assert a["crisis"].tolist() == [True, False]
    assert a["obligor_annual_income"].tolist() == [30_000_000, 0]
    assert a["obligor_property"].tolist() == [900_000_000, 0]
    assert a["receipt_basic_pension"].tolist() == [True, False]
    assert not a["receipt_nbls_housing"].any()
    assert a["household_dong"].tolist() == [dong_a.pk, dong_b.pk]
    assert a["resident_count"] == 4

    only_b = registry_arrays(period="2026-03", dong_ids=[dong_b.pk])
    assert only_b["household_ids"].tolist() == [household_b.pk]
    assert isinstance(only_b["age"], np.ndarray) and only_b["complete"].tolist() == [False]


@pytest.mark.django_db
def test_arrays_of_an_empty_registry(dong_a):
    a = registry_arrays(period="2026-03", dong_ids=[dong_a.pk])
    assert len(a["household_ids"]) == 0 and a["resident_count"] == 0


def test_bench_db_mode_builds_once_and_sweeps_from_the_database(tmp_path):
    database = tmp_path / "bench.sqlite3"
    command = [
        sys.executable,
        str(ROOT / "bench" / "eligibility.py"),
        "--db-500k",
        "--residents",
        "3000",
        "--sample",
        "20",
        "--db-path",
        str(database),
    ]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "built" in first.stdout and "3,000 residents" in first.stdout
    assert "registry_sweep, database → results" in first.stdout
    assert "disagree on 0 of" in first.stdout
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "using the cached database" in second.stdout
