"""Synthetic means data for the demo district, consistent with the benefits each household
already receives, so that the registry sweep finds a realistic few per cent of blind spots and
some unqualified receipts (DOMAIN.md: the Suyeong-gu reform found 333 unqualified
beneficiaries). Only synthetic data; assumptions listed in docs/benefits.md.

``means_for_demo(rng, residents, receipts=..., today=...)`` is pure: deterministic from the
``random.Random`` given, it returns unsaved ``MeansRecord`` instances for ``bulk_create``."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping

from maeul.benefits.models import MeansRecord
from maeul.benefits.rules import tax_benefit_system

#: Share of non-recipient households whose means fall under an NBLS line (blind spots).
BLIND_SPOT_RATE = 0.03
#: Share of recipient households whose means rose above the line (unqualified receipts).
UNQUALIFIED_RATE = 0.03
NBLS_FAMILY = {"nbls_livelihood", "nbls_medical", "nbls_housing", "nbls_education", "near_poor"}
NBLS_DEDUCTION_METROPOLITAN = 77_000_000
NBLS_PROPERTY_RATE = 0.0417
PENSION_DEDUCTION_METROPOLITAN = 135_000_000

#: Share of aged / severely disabled members without a pension whose means are under the line.
PENSION_BLIND_RATE = 0.1


def _lines(day: dt.date) -> tuple[dict[int, float], float, float]:
    """Standard median income by size and the Basic Pension lines (single, couple) in force."""
    p = tax_benefit_system().parameters(day.replace(day=1).isoformat())
    median = {k: float(getattr(p.median_income, f"size_{k}")) for k in range(1, 7)}
    for k in range(7, 16):
        median[k] = median[6] + (k - 6) * (median[6] - median[5])
    pension = p.pensions.basic_pension
    return median, float(pension.selection_line.single), float(pension.selection_line.couple)


def _age(birth: dt.date | None, day: dt.date) -> int:
    if birth is None:
        return 40
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _round(value: float, unit: int = 1000) -> int:
    return max(0, int(round(value / unit)) * unit)


def means_for_demo(
    rng: random.Random,
    residents: Iterable,
    *,
    receipts: Mapping[int, set[str]] | None = None,
    today: dt.date | None = None,
    recorded_by_id: int | None = None,
) -> list[MeansRecord]:
    """Plausible means for each resident (objects with ``pk``, ``household_id``,
    ``birth_date``, ``relation``, ``disability``), from the household's current receipts:

    - NBLS livelihood recipients: recognised income 0–30% of the median (3% above 36%);
      near-poor 41–47.5%; housing-only 33–47% (3% above the line);
    - households receiving nothing of the NBLS family: 3% under 45% (blind spots), the rest
      62–160% (above the gu's 60% line); single-parent recipients 60–63%;
    - pension units (65+, or severe disability 18+) of recipients under 85% of the Basic
      Pension line (3% above 125%); without a pension, 10% under 70% of it, the rest above;
    - the head holds the property, under the basic deductions (so income decides); cars
      only above the lines.
    """
    today = today or dt.date.today()
    receipts = receipts or {}
    median, line_single, line_couple = _lines(today)
    by_household: dict[int, list] = defaultdict(list)
    for resident in residents:
        by_household[resident.household_id].append(resident)
    records: list[MeansRecord] = []
    for household_id in sorted(by_household):
        members = sorted(by_household[household_id], key=lambda r: r.pk)
        got = receipts.get(household_id, set())
        size = len(members)
        ages = [_age(m.birth_date, today) for m in members]
        relation = [m.relation or "other" for m in members]
        planted = rng.random() < UNQUALIFIED_RATE
        nbls_family = bool(got & NBLS_FAMILY)
        if "nbls_livelihood" in got:
            share = rng.uniform(0.36, 0.7) if planted else rng.uniform(0.0, 0.3)
        elif "near_poor" in got:
            share = rng.uniform(0.55, 0.9) if planted else rng.uniform(0.41, 0.475)
        elif "nbls_housing" in got or "nbls_medical" in got or "nbls_education" in got:
            share = rng.uniform(0.52, 0.8) if planted else rng.uniform(0.33, 0.47)
        elif "single_parent" in got:
            share = rng.uniform(0.7, 1.0) if planted else rng.uniform(0.601, 0.63)
        elif rng.random() < BLIND_SPOT_RATE:
            share = rng.uniform(0.05, 0.45)
        else:
            share = rng.uniform(0.62, 1.6)
        total = share * median[size]
        # pension unit: head and spouse if one of them is aged or severely disabled
        candidate = [
            a >= 65 or (m.disability == "severe" and a >= 18)
            for m, a in zip(members, ages, strict=True)
        ]
        unit = [i for i, r in enumerate(relation) if r in ("head", "spouse")]
        unit_candidate = any(candidate[i] for i in unit)
        line = line_couple if len(unit) == 2 else line_single
        pension_received = bool(got & {"basic_pension", "disability_pension"})
        unit_income = total
        if unit_candidate:
            if pension_received:
                cap = line * 1.25 if rng.random() < UNQUALIFIED_RATE else line * 0.85
                unit_income = max(total, cap) if cap > line else min(total, cap)
            elif nbls_family:
                pass  # an NBLS household's aged member without a pension: a blind spot
            elif rng.random() < PENSION_BLIND_RATE:
                unit_income = min(total, line * 0.7)
            else:
                unit_income = max(total, line * 1.2)
        outside = [i for i in range(size) if i not in unit and ages[i] >= 19]
        rest = max(0.0, total - unit_income) if outside else 0.0
        # what the pension unit may not earn and nobody else does is held as property between
        # the NBLS and the pension basic deductions: it counts for NBLS, not for pensions
        property_top_up = 0.0 if outside else max(0.0, total - unit_income)
        income = [0.0] * size
        for i in unit:
            income[i] = unit_income / len(unit)
        if not unit:  # no head recorded: the first member carries the income
            income[0] = total
        for i in outside:
            income[i] += rest / len(outside)
        above = share >= 0.6 and not pension_received
        single_head = "spouse" not in relation and any(
            r == "child" and a < 18 for r, a in zip(relation, ages, strict=True)
        )
        for i, member in enumerate(members):
            amount = income[i]
            working = 19 <= ages[i] < 65 and member.disability != "severe" and rng.random() < 0.7
            earned = amount * 0.6 / 0.7 if working else 0.0
            other = amount - earned * 0.7
            adult = ages[i] >= 19
            records.append(
                MeansRecord(
                    resident_id=member.pk,
                    household_id=household_id,
                    earned_income=_round(earned),
                    other_income=_round(other),
                    assets_general=_round(
                        NBLS_DEDUCTION_METROPOLITAN
                        + min(
                            property_top_up / NBLS_PROPERTY_RATE,
                            PENSION_DEDUCTION_METROPOLITAN - NBLS_DEDUCTION_METROPOLITAN - 1e6,
                        ),
                        10_000,
                    )
                    if property_top_up and i == 0
                    else _round(rng.uniform(0, 50_000_000), 10_000)
                    if i == 0 and rng.random() < 0.5
                    else 0,
                    assets_financial=_round(rng.uniform(0, 4_000_000)) if i == 0 else 0,
                    debts=_round(rng.uniform(0, 20_000_000), 10_000)
                    if adult and rng.random() < 0.2 and not (property_top_up and i == 0)
                    else 0,
                    car_value=_round(rng.uniform(3_000_000, 25_000_000), 10_000)
                    if above
                    and adult
                    and relation[i] == "head"
                    and not property_top_up
                    and rng.random() < 0.4
                    else 0,
                    single_parent=single_head if relation[i] == "head" else False,
                    recorded_on=today,
                    recorded_by_id=recorded_by_id,
                )
            )
    return records
