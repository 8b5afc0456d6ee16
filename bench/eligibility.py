"""Benchmark of the eligibility rules (issue 3): the registry sweep.

    .venv/bin/python bench/eligibility.py                 # synthetic 500,000 residents
    .venv/bin/python bench/eligibility.py --residents 100000 --sample 500
    .venv/bin/python bench/eligibility.py --from-db       # the households in the database
    .venv/bin/python bench/eligibility.py --db-500k       # 500,000 residents, database → results
    .venv/bin/python bench/eligibility.py --db-500k --rebuild --db-path /tmp/other.sqlite3

Times ``evaluate_batch`` over every programme for the whole registry (one OpenFisca
simulation; target < 10 s on the 2-core machine), then ``evaluate`` one household at a time
on a sample (target: batch ≥ 50× faster per household), and checks that both agree on the
sample. The synthetic registry is deterministic (seeded numpy).

``--db-500k`` is the issue's figure "from the database to results": it builds (once; cached
at ``--db-path``, default /tmp/maeul-bench-500k.sqlite3, until ``--rebuild``) a throwaway
SQLite database migrated with the project's migrations and filled with the same synthetic
registry — about 500,000 residents in about 227,000 households of a gu with 10 dongs, with
their ``MeansRecord``, ``HouseholdSituation``, ``SupportObligor`` and ``BenefitReceipt`` rows
(raw ``executemany`` in one transaction; resident registration numbers left empty) — then
times the real ``registry_sweep`` service (queries → arrays → ``evaluate_batch`` → per-dong
results → the saved ``SweepRun``) against ``household_payload`` + ``evaluate`` one household
at a time on a sample. The build time is printed separately. ``make bench`` (bench/run.py)
runs this script without arguments, so it does not build the 500k database.
"""

from __future__ import annotations

import argparse
import datetime as dt
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


# The 500,000-resident registry in a database ------------------------------------------------

DB_500K = Path("/tmp/maeul-bench-500k.sqlite3")
DONGS = 10
RELATION_NAMES = ("head", "spouse", "child", "parent", "other")


def _django_on(path: Path) -> None:
    """Point Django at the bench database (before ``django.setup``: the settings read
    ``DATABASE_URL``)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")
    import django

    django.setup()


def build_registry_db(path: Path, *, residents: int, period: str, seed: int = 3) -> dict:
    """Migrate a fresh SQLite database at ``path`` and fill it with the synthetic registry
    (``synthetic_registry``) as people, benefits and areas rows. Built beside ``path`` and
    renamed at the end, so an interrupted build is never taken for a cached one."""
    from django.core.management import call_command
    from django.db import connections

    building = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = str(building)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - t0

    from maeul.areas.models import Area
    from maeul.benefits.models import HouseholdSituation, MeansRecord, SupportObligor
    from maeul.people.models import BenefitReceipt, Household, Resident

    t0 = time.perf_counter()
    sido = Area.objects.create(code="2600000000", name="부산광역시", level=Area.Level.SIDO)
    gu = Area.objects.create(
        code="2650000000", name="수영구", level=Area.Level.SIGUNGU, parent=sido
    )
    dong_ids = [
        Area.objects.create(
            code=f"26500{51 + i:03d}00", name=f"벤치{i + 1}동", level=Area.Level.DONG, parent=gu
        ).pk
        for i in range(DONGS)
    ]
    a = synthetic_registry(residents, seed=seed)
    rng = np.random.default_rng(seed + 100)
    person_h = a["household"]
    n = len(person_h)
    n_h = len(a["region"])
    household_ids = np.arange(1, n_h + 1)
    resident_ids = np.arange(1, n + 1)
    now = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC).isoformat(" ")
    dong_of = np.array(dong_ids)[np.sort(rng.integers(0, DONGS, n_h))]

    # birth dates consistent with the ages on the period's first day
    day = dt.date.fromisoformat(f"{period}-01").toordinal()
    birth = day - np.floor(a["age"] * 365.2425).astype(np.int64) - rng.integers(1, 365, n)
    births = [dt.date.fromordinal(o).isoformat() for o in birth.tolist()]
    relation = [RELATION_NAMES[r] for r in a["relation"].tolist()]
    sex = np.where(rng.random(n) < 0.52, "F", "M").tolist()
    money = {f: a[f].astype(np.int64).tolist() for f in MONEY_FIELDS}
    has_means = rng.random(n) >= 0.02  # 2% of members: means not known yet
    single_parent = a["single_parent"].tolist()

    raw = connection.connection  # sqlite3 connection: executemany without Django's wrapper
    t_insert = time.perf_counter()
    with connection.cursor():
        pass
    raw = connection.connection
    raw.execute("BEGIN")
    raw.executemany(
        f"INSERT INTO {Household._meta.db_table} (id, address, address_detail, address_key, "
        "phone, housing, groups, care_notes, created_at, updated_at, dong_id, violence_notes) "
        "VALUES (?, ?, '', ?, '', ?, '[]', '', ?, ?, ?, '')",
        (
            (h, f"부산광역시 수영구 벤치로 {h}", f"부산광역시수영구벤치로{h}", housing, now, now, d)
            for h, housing, d in zip(
                household_ids.tolist(),
                rng.choice(["owned", "jeonse", "monthly_rent", "public_rental"], n_h).tolist(),
                dong_of.tolist(),
                strict=True,
            )
        ),
    )
    raw.executemany(
        f"INSERT INTO {Resident._meta.db_table} (id, household_id, name, name_key, birth_date, "
        "sex, phone, relation, disability, health_notes, disability_detail, rrn_encrypted, "
        "rrn_index) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, '', '', '', '')",
        (
            (rid, hid, f"주민{rid}", f"주민{rid}", b, s, rel, dis)
            for rid, hid, b, s, rel, dis in zip(
                resident_ids.tolist(),
                (person_h + 1).tolist(),
                births,
                sex,
                relation,
                a["disability"].tolist(),
                strict=True,
            )
        ),
    )
    fields = ", ".join(MONEY_FIELDS)
    raw.executemany(
        f"INSERT INTO {MeansRecord._meta.db_table} (resident_id, household_id, {fields}, "
        "single_parent, recorded_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-10-01')",
        (
            (rid, hid, *values, sp)
            for rid, hid, ok, sp, *values in zip(
                resident_ids.tolist(),
                (person_h + 1).tolist(),
                has_means.tolist(),
                single_parent,
                *(money[f] for f in MONEY_FIELDS),
                strict=True,
            )
            if ok
        ),
    )
    # the crisis question asked of 40% of households; a crisis recorded for 3%
    crisis = a["crisis"]
    asked = (rng.random(n_h) < 0.4) | (crisis != "")
    raw.executemany(
        f"INSERT INTO {HouseholdSituation._meta.db_table} (household_id, region, crisis, "
        "recorded_on) VALUES (?, '', ?, '2026-10-01')",
        ((int(h) + 1, str(crisis[h])) for h in np.flatnonzero(asked)),
    )
    # support obligors for 8% of households
    with_obligor = np.flatnonzero(rng.random(n_h) < 0.08)
    obligor_income = np.round(rng.lognormal(17.2, 0.7, len(with_obligor)), -4).astype(np.int64)
    obligor_assets = np.round(rng.lognormal(18.5, 1.0, len(with_obligor)), -5).astype(np.int64)
    raw.executemany(
        f"INSERT INTO {SupportObligor._meta.db_table} (household_id, relation, annual_income, "
        "assets, recorded_on) VALUES (?, 'child', ?, ?, '2026-10-01')",
        zip(
            (with_obligor + 1).tolist(),
            obligor_income.tolist(),
            obligor_assets.tolist(),
            strict=True,
        ),
    )
    # receipts: the synthetic registry's, a few more programmes, and ended ones (not current)
    receipt_rows = []
    shares = {
        "nbls_medical": 0.03,
        "nbls_housing": 0.04,
        "near_poor": 0.02,
        "disability_pension": 0.01,
        "single_parent": 0.01,
        "child_allowance": 0.08,
    }
    flags = {
        "nbls_livelihood": a["receipt_nbls_livelihood"],
        "basic_pension": a["receipt_basic_pension"],
        **{p: rng.random(n_h) < share for p, share in shares.items()},
    }
    for programme, flag in flags.items():
        started = dt.date(2020, 1, 1).toordinal() + rng.integers(0, 2000, n_h)
        ended = rng.random(n_h) < 0.1
        for h in np.flatnonzero(flag).tolist():
            end = dt.date.fromordinal(int(started[h]) + 300).isoformat() if ended[h] else None
            receipt_rows.append(
                (h + 1, programme, dt.date.fromordinal(int(started[h])).isoformat(), end)
            )
    raw.executemany(
        f"INSERT INTO {BenefitReceipt._meta.db_table} (household_id, programme, started_on, "
        "ended_on) VALUES (?, ?, ?, ?)",
        receipt_rows,
    )
    raw.execute("COMMIT")
    insert_s = time.perf_counter() - t_insert
    fill_s = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    os.replace(building, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    connection.settings_dict["NAME"] = str(path)
    return {
        "migrate_s": migrate_s,
        "fill_s": fill_s,
        "insert_s": insert_s,
        "households": n_h,
        "residents": n,
        "means": int(has_means.sum()),
        "situations": int(asked.sum()),
        "obligors": len(with_obligor),
        "receipts": len(receipt_rows),
    }


def bench_db_registry(*, path: Path, rebuild: bool, residents: int, period: str, sample: int):
    """``--db-500k``: build or reuse the database, then time ``registry_sweep`` end to end
    and ``household_payload`` + ``evaluate`` one household at a time on a sample."""
    _django_on(path)
    from django.db import connections

    if rebuild or not path.exists():
        t0 = time.perf_counter()
        figures = build_registry_db(path, residents=residents, period=period)
        print(
            f"built {path} in {time.perf_counter() - t0:.1f} s (migrate {figures['migrate_s']:.1f}"
            f" s, rows {figures['fill_s']:.1f} s): {figures['residents']:,} residents, "
            f"{figures['households']:,} households in {DONGS} dongs, {figures['means']:,} means "
            f"records, {figures['situations']:,} situations, {figures['obligors']:,} obligors, "
            f"{figures['receipts']:,} benefit receipts"
        )
    else:
        from django.core.management import call_command

        connections["default"].settings_dict["NAME"] = str(path)
        call_command("migrate", verbosity=0)  # migrations added since it was built
        print(f"using the cached database {path} (--rebuild to build it again)")

    from maeul.benefits.rules.evaluate import evaluate as evaluate_one
    from maeul.benefits.selectors import household_payload as payload_of
    from maeul.benefits.selectors import receipts_current, registry_arrays
    from maeul.benefits.services import _EXTRA_KEYS, registry_sweep
    from maeul.people.models import Household

    # warm-up outside the timings: the tax-benefit system (YAML parse) and the connection
    evaluate_batch({k: v if k == "period" else v[:1] for k, v in synthetic_registry(20).items()})
    Household.objects.exists()

    t0 = time.perf_counter()
    run = registry_sweep(period=period)
    sweep_s = time.perf_counter() - t0
    print(
        f"registry_sweep, database → results, {len(PROGRAMMES)} programmes, {run.households:,} "
        f"households, {run.residents:,} residents: {sweep_s:.2f} s with saving the SweepRun "
        f"({run.seconds:.2f} s before saving); blind spots {run.blind_spots:,}, unqualified "
        f"receipts {run.unqualified:,}, incomplete {run.incomplete:,}"
    )
    run.delete()  # keep the cached database as built

    t0 = time.perf_counter()
    arrays = registry_arrays(period=period)
    arrays_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = evaluate_batch({k: v for k, v in arrays.items() if k not in _EXTRA_KEYS})
    batch_s = time.perf_counter() - t0
    print(
        f"  of which: registry_arrays (queries → arrays) {arrays_s:.2f} s, "
        f"evaluate_batch {batch_s:.2f} s"
    )

    ids = arrays["household_ids"]
    rng = np.random.default_rng(7)
    chosen = np.sort(rng.choice(len(ids), size=min(sample, len(ids)), replace=False))
    t0 = time.perf_counter()
    answers = []
    for i in chosen.tolist():
        household = Household.objects.select_related("dong__parent__parent").get(pk=int(ids[i]))
        answers.append(evaluate_one(payload_of(household, period=period)))
        receipts_current([household.pk], dt.date.fromisoformat(f"{period}-01"))
    single_s = time.perf_counter() - t0
    per_single = single_s / len(chosen)
    per_sweep = sweep_s / max(run.households, 1)
    print(
        f"one at a time (read the household, household_payload, evaluate, receipts), "
        f"{len(chosen):,} households: {single_s:.2f} s ({per_single * 1e3:.1f} ms per "
        f"household → {per_single * run.households:,.0f} s for the registry)"
    )
    print(f"speed-up of the sweep per household: {per_single / per_sweep:,.0f}×")
    disagree = 0
    for i, answer in zip(chosen.tolist(), answers, strict=True):
        for item in answer["programmes"]:
            if item["entitled"] is not None and item["entitled"] != bool(result[item["id"]][i]):
                disagree += 1
    print(
        f"sweep arrays and one-at-a-time disagree on {disagree} of "
        f"{len(chosen) * len(PROGRAMMES):,} answers"
    )
    target = "met" if sweep_s < 10 and per_single / per_sweep >= 50 else "NOT met"
    print(f"target (< 10 s, ≥ 50×): {target}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=500_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--period", default="2026-03")
    parser.add_argument("--from-db", action="store_true")
    parser.add_argument(
        "--db-500k",
        action="store_true",
        help="sweep a synthetic registry stored in a throwaway SQLite database",
    )
    parser.add_argument("--db-path", type=Path, default=DB_500K)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the --db-500k database")
    args = parser.parse_args()
    if args.db_500k:
        bench_db_registry(
            path=args.db_path,
            rebuild=args.rebuild,
            residents=args.residents,
            period=args.period,
            sample=min(args.sample, 300),
        )
        return

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
