"""The WAL's disk full: the second case of bench/disk_full.py (`--wal`).

A throwaway PostgreSQL cluster is made whose write-ahead log (`pg_wal`) is on a 32 MiB tmpfs
(1 MiB WAL segments; no checkpoint during the drill, so the log only grows), the app's schema
migrated into it, and households registered through `people.bulk` in batches of 1,000 (one
transaction each). The tmpfs is then filled by a file, and the same writes go on until
PostgreSQL cannot extend its log. What happens is printed: the failing write's error, whether
the server still answers, and then — the file removed, the server started again if it
stopped, as systemd does with `Restart=on-failure` — that every batch committed before is
there, nothing of the failing one, `check_integrity` passes, and the same write succeeds.
Everything (cluster, mount) is removed at the end. Needs root (mount) and PostgreSQL's
binaries (/usr/lib/postgresql/*/bin).
"""

from __future__ import annotations

import glob
import os
import pwd
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OS_USER = "maeulci"  # the unprivileged account the cluster runs as (as in .ci/run)
WAL_MIB = 32


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"{name} not found: install PostgreSQL's server package")
    return found[-1]


def _as_pg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", OS_USER, "--", *args], check=check, capture_output=True, text=True
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_cluster() -> dict:
    if os.geteuid() != 0:
        sys.exit("Run as root (the drill mounts a small tmpfs for pg_wal).")
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER],
            check=True,
        )
    base = Path(tempfile.mkdtemp(prefix="maeul-walfull-"))
    data, wal = base / "data", base / "wal"
    wal.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={WAL_MIB}M", "tmpfs", str(wal)], check=True
    )
    uid = pwd.getpwnam(OS_USER).pw_uid
    for path in (base, wal):
        os.chown(path, uid, -1)
    port = _free_port()
    cluster = {"base": base, "data": data, "wal": wal, "port": port, "running": False}
    _as_pg(
        _bin("initdb"),
        "-D",
        str(data),
        f"--waldir={wal / 'pg_wal'}",
        "--wal-segsize=1",
        "-U",
        "maeul",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    start(cluster)
    _as_pg(_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "maeul", "drill")
    os.environ["DATABASE_URL"] = f"postgres://maeul@127.0.0.1:{port}/drill"
    return cluster


def start(cluster: dict) -> None:
    options = (
        f"-p {cluster['port']} -k {cluster['base']} -c listen_addresses=127.0.0.1 "
        "-c min_wal_size=2MB -c max_wal_size=1GB -c checkpoint_timeout=1h"
    )
    _as_pg(
        _bin("pg_ctl"), "-D", str(cluster["data"]), "-o", options,
        "-l", str(cluster["base"] / "log"), "-w", "-t", "120", "start",
    )  # fmt: skip
    cluster["running"] = True


def server_running(cluster: dict) -> bool:
    return _as_pg(_bin("pg_ctl"), "-D", str(cluster["data"]), "status", check=False).returncode == 0


def answers(sql) -> bool:
    from django.db import connection

    connection.close()
    try:
        sql("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 — any failure to answer is the answer
        return False
    finally:
        connection.close()


def free_mib(path: Path) -> float:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize / 2**20


def drill(cluster: dict, *, batch, sql) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import DatabaseError

    from maeul.areas.models import Area
    from maeul.people.models import Household, TimelineEvent

    filler = cluster["wal"] / "filler"
    try:
        t0 = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"schema migrated into the drill cluster in {time.monotonic() - t0:.0f} s")
        gu = Area.objects.create(code="9999000000", name="훈련구", level=Area.Level.SIGUNGU)
        dong = Area.objects.create(
            code="9999000100", name="훈련동", level=Area.Level.DONG, parent=gu
        )
        for n in range(3):
            batch(dong, n)
        # Fill the WAL's file system to the last block.
        with open(filler, "wb") as f:
            chunk = b"\0" * (1 << 20)
            try:
                while True:
                    f.write(chunk)
                    f.flush()
            except OSError:
                pass
        print(
            f"pg_wal's {WAL_MIB} MiB file system filled (free: {free_mib(cluster['wal']):.2f} MiB)"
        )
        n, error = 3, None
        before = (Household.objects.count(), TimelineEvent.objects.count())
        while n < 200:
            before = (Household.objects.count(), TimelineEvent.objects.count())
            try:
                batch(dong, n)
            except DatabaseError as exc:
                error = exc
                break
            n += 1
        if error is None:
            sys.exit("the WAL's file system did not fill up")
        connection.close()
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"batches committed in all: {n} ({before[0]:,} households)")
        print(f"the failing write: {type(error).__name__}: {first_line}")
        time.sleep(3)  # the postmaster's crash recovery, which needs WAL space too
        log = (cluster["base"] / "log").read_text(errors="replace")
        panics = [line for line in log.splitlines() if "PANIC" in line]
        print(f"server log: {panics[0] if panics else '(no PANIC line)'}")
        print(
            f"while the disk is full: server running {server_running(cluster)}, reads answer {answers(sql)}"
        )

        filler.unlink()
        print(f"space freed (free: {free_mib(cluster['wal']):.1f} MiB)")
        time.sleep(2)
        restarted = False
        if not answers(sql):
            if not server_running(cluster):
                start(cluster)
                restarted = True
        deadline = time.monotonic() + 120
        while not answers(sql):
            if time.monotonic() > deadline:
                sys.exit("the server did not come back after space was freed")
            time.sleep(1)
        after = (Household.objects.count(), TimelineEvent.objects.count())
        print(
            f"server back ({'started again' if restarted else 'by itself'}); committed rows all "
            f"there and nothing of the failing batch: {after == before} {after}"
        )
        checked = subprocess.run(
            [sys.executable, "manage.py", "check_integrity", "--skip-checks"],
            cwd=Path(__file__).resolve().parent.parent,
            env=os.environ | {"MAEUL_ENV": "dev"},
            capture_output=True,
            text=True,
        )
        print(
            f"check_integrity after recovery: exit {checked.returncode}, "
            f"{(checked.stdout.strip().splitlines() or [''])[-1]}"
        )
        batch(dong, n)
        print(
            f"the same write succeeds: {Household.objects.count():,} households "
            f"({Household.objects.count() - after[0]:,} more)"
        )
    finally:
        connection.close()
        if filler.exists():
            filler.unlink()
        _as_pg(_bin("pg_ctl"), "-D", str(cluster["data"]), "-m", "immediate", "stop", check=False)
        subprocess.run(["umount", str(cluster["wal"])], check=False)
        subprocess.run(["rm", "-rf", str(cluster["base"])], check=False)
