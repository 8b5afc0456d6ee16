"""Drill: the database's disk fills up in the middle of the app's writes.

    sudo DATABASE_URL=postgres://maeul@127.0.0.1:PORT/drill .venv/bin/python bench/disk_full.py
    sudo .venv/bin/python bench/disk_full.py --wal

The second form is the disk of the write-ahead log full (below, "WAL"). The first:
Needs root (it mounts a 16 MiB tmpfs) and a throwaway, migrated database on a local cluster
whose user is a superuser (it creates a tablespace). The timeline's table is moved onto the
tiny file system; households are then registered through `people.bulk` (household, head,
timeline event: one transaction per batch of 1,000) until PostgreSQL runs out of space. It
prints what failed and checks: the failing batch left nothing (its households, written to the
big disk before its events failed, are rolled back with it), the server is still up and
answers reads, and once space is freed (the table moved back) the same writes succeed again.
Everything is removed at the end. Its result is written in docs/production.md ("Faults").
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")

WAL_MODE = "--wal" in sys.argv[1:]
if WAL_MODE:
    from bench.wal_full import prepare_cluster  # noqa: E402

    WAL_CLUSTER = prepare_cluster()  # sets DATABASE_URL before Django reads it

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.utils import OperationalError  # noqa: E402
from django.utils import timezone  # noqa: E402

from maeul.areas.models import Area  # noqa: E402
from maeul.people.bulk import NewHousehold, households_bulk_register  # noqa: E402
from maeul.people.models import Household, TimelineEvent  # noqa: E402

BATCH = 1_000


def sql(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def batch(dong: Area, n: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        households_bulk_register(
            [
                NewHousehold(
                    dong_id=dong.pk,
                    address=f"부산광역시 수영구 망미번영로 {n}-{i} " + "가" * 60,
                    head_name=f"주민{n}-{i}",
                    head_birth_date=dt.date(1950, 1, 1),
                )
                for i in range(BATCH)
            ],
            actor_id=None,
            now=now,
        )


def main() -> None:
    if WAL_MODE:
        from bench.wal_full import drill

        drill(WAL_CLUSTER, batch=batch, sql=sql)
        return
    if connection.vendor != "postgresql":
        sys.exit("A PostgreSQL drill: point DATABASE_URL at a throwaway PostgreSQL database.")
    if os.geteuid() != 0:
        sys.exit("Run as root (the drill mounts a small tmpfs).")
    data_dir = sql("SHOW data_directory")[0][0]
    owner = os.stat(data_dir).st_uid
    mount = tempfile.mkdtemp(prefix="maeul-diskfull-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16M", "tmpfs", mount], check=True)
    os.chown(mount, owner, -1)
    try:
        sql(f"CREATE TABLESPACE maeul_drill LOCATION '{mount}'")
        sql(f"ALTER TABLE {TimelineEvent._meta.db_table} SET TABLESPACE maeul_drill")
        gu = Area.objects.create(code="9999000000", name="훈련구", level=Area.Level.SIGUNGU)
        dong = Area.objects.create(
            code="9999000100", name="훈련동", level=Area.Level.DONG, parent=gu
        )
        n = 0
        error = None
        while n < 200:
            before = (Household.objects.count(), TimelineEvent.objects.count())
            try:
                batch(dong, n)
            except OperationalError as exc:
                error = exc
                break
            n += 1
        if error is None:
            sys.exit("the tiny file system did not fill up")
        after = (Household.objects.count(), TimelineEvent.objects.count())
        print(f"batches written before the disk was full: {n} ({before[0]:,} households)")
        print(f"the failing write: {type(error).__name__}: {str(error).strip().splitlines()[0]}")
        print(f"nothing of the failing batch kept: {after == before} {after}")
        print(f"server up, reads answer: {sql('SELECT count(*) FROM areas_area')[0][0]} areas")
        sql(f"ALTER TABLE {TimelineEvent._meta.db_table} SET TABLESPACE pg_default")
        batch(dong, n)
        print(
            f"after freeing space the same write succeeds: {Household.objects.count():,} households"
        )
    finally:
        try:
            sql(f"ALTER TABLE {TimelineEvent._meta.db_table} SET TABLESPACE pg_default")
            sql("DROP TABLESPACE IF EXISTS maeul_drill")
        finally:
            subprocess.run(["umount", mount], check=False)
            os.rmdir(mount)


if __name__ == "__main__":
    main()
