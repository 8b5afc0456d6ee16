"""Benchmark: import of a synthetic 10,000-row high-risk list (CSV), rows per second.

    .venv/bin/python bench/upload.py [--rows 10000] [--throwaway]

Runs against the configured database (the demo district of `make demo`, acting as the gu-team
user 'gu' when present); the import runs inside a transaction that is rolled back, so nothing
is left behind. Where the database is not migrated (or with --throwaway) a temporary SQLite
database is created and migrated first, with a minimal gu of two dongs.
About 5% of the rows are people the district already knows (name, birth date and address),
so that the matching index is exercised too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")
# As in production: with DEBUG on, Django keeps (and quotes) the SQL of every query.
os.environ["DEBUG"] = "0"

_args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
_args.add_argument("--rows", type=int, default=10_000)
_args.add_argument("--throwaway", action="store_true", help="use a temporary SQLite database")
ARGS, _ = _args.parse_known_args()
if ARGS.throwaway:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='maeul-bench-')}/bench.sqlite3"
    )

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402


class Rollback(Exception):
    pass


def _migrated() -> bool:
    try:
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return False


def _use_throwaway_database() -> None:
    from django.core.management import call_command

    path = Path(tempfile.mkdtemp(prefix="maeul-bench-")) / "bench.sqlite3"
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    call_command("migrate", verbosity=0, interactive=False)


def _actor_and_dongs():
    from maeul.accounts.models import Role, User
    from maeul.areas.models import Area

    actor = User.objects.filter(username="gu").select_related("home_area").first()
    if actor is not None and actor.home_area is not None:
        dongs = list(Area.objects.filter(parent=actor.home_area, level=Area.Level.DONG))
        if dongs:
            return actor, dongs, "demo district"
    sido = Area.objects.create(code="2600000000", name="부산광역시", level=Area.Level.SIDO)
    gu = Area.objects.create(
        code="2650000000", name="수영구", level=Area.Level.SIGUNGU, parent=sido
    )
    dongs = [
        Area.objects.create(code="2650074000", name="망미제1동", level=Area.Level.DONG, parent=gu),
        Area.objects.create(code="2650073000", name="수영동", level=Area.Level.DONG, parent=gu),
    ]
    actor = User.objects.create(username="bench-gu", role=Role.GU_TEAM, home_area=gu)
    import datetime as dt

    from maeul.people.services import household_register

    for i in range(300):  # households the district already knows
        household_register(
            actor=actor,
            dong=dongs[i % 2],
            address=f"수영로 {i}",
            head_name=f"주민{i}",
            head_birth_date=dt.date(1940 + i % 40, 1 + i % 12, 1 + i % 28),
        )
    return actor, dongs, "minimal areas"


def synthetic_csv(*, rows: int, dongs, known: list[tuple[str, str, object, str]]) -> bytes:
    signals = ["utility_arrears", "health_insurance_arrears", "rent_arrears", "job_loss", ""]
    lines = ["동코드,성명,생년월일,주민등록번호,주소,위기신호,긴급도"]
    for i in range(rows):
        if i % 20 == 0 and i // 20 < len(known):
            code, name, birth, address = known[i // 20]
            lines.append(f"{code},{name},{birth:%Y-%m-%d},,{address},{signals[i % 5]},")
            continue
        dong = dongs[i % len(dongs)]
        rrn = f"{(i * 7) % 100:02d}{1 + i % 12:02d}{1 + i % 28:02d}-{1 + i % 2}{i:06d}"
        rrn = rrn if i % 3 else ""
        urgency = ("emergency", "high", "normal", "")[i % 4]
        lines.append(
            f"{dong.code},벤치{i},19{40 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d},{rrn},"
            f"부산광역시 수영구 벤치로 {i}번길 {i % 97},{signals[i % 5]};{signals[(i + 1) % 4]},{urgency}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_upload_bench(rows: int = 10_000) -> float:
    """Import `rows` synthetic rows inside a rolled-back transaction; print and return rows/s."""
    from maeul.discovery.models import Lead
    from maeul.discovery.services import lead_upload_import
    from maeul.people.models import Resident

    if not _migrated():
        if not ARGS.throwaway:
            print("database not migrated: using a throwaway SQLite database")
        _use_throwaway_database()
    result = {}
    try:
        with transaction.atomic():
            actor, dongs, where = _actor_and_dongs()
            known = [
                (r.household.dong.code, r.name, r.birth_date, r.household.address)
                for r in Resident.objects.filter(
                    household__dong__in=dongs, birth_date__isnull=False
                ).select_related("household__dong")[:500]
            ]
            data = synthetic_csv(rows=rows, dongs=dongs, known=known)
            leads_before = Lead.objects.count()
            started = time.perf_counter()
            upload = lead_upload_import(actor=actor, file=data, filename="bench.csv")
            elapsed = time.perf_counter() - started
            assert Lead.objects.count() - leads_before == rows
            result = {
                "where": where,
                "elapsed": elapsed,
                "matched": upload.matched_count,
                "new": upload.new_count,
                "bytes": len(data),
            }
            raise Rollback
    except Rollback:
        pass
    rate = rows / result["elapsed"]
    print(
        f"upload: {rows:,} rows ({result['bytes'] / 1024:,.0f} KiB CSV, {result['where']}, "
        f"{connection.vendor}) in {result['elapsed']:.2f} s = {rate:,.0f} rows/s; "
        f"{result['matched']:,} matched to known households, {result['new']:,} new "
        "(rolled back)"
    )
    return rate


if __name__ == "__main__":
    run_upload_bench(ARGS.rows)
