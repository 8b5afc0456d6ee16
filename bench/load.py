"""Load test of the real stack: gunicorn and the task worker against the demo district's
database, driven by locust with officials, nurses, volunteers and the gu team in the
proportions a hub has (issue 14). Prints requests per second, p50/p95/p99 and errors per
number of concurrent users.

    .venv/bin/python bench/load.py [--users 50,100,200] [--seconds 30] [--workers 5] [--wait 1,3]
    sudo .venv/bin/python bench/load.py --pg [--households 14500] [...]

With `--pg` the bench makes its own throwaway PostgreSQL cluster (the newest
/usr/lib/postgresql/*/bin, as .ci/run does; as root it runs as the `maeulci` account),
migrates it, builds the demo district in it (`seed_demo --households N`), measures, and
removes it at the end. Without it the database is the one the environment names
(DATABASE_URL; SQLite's db.sqlite3 when unset), which must hold the demo district (`make demo`,
or `manage.py seed_demo`). The demo's accounts sign in (MAEUL_ENV=demo: no second factor).
Traffic goes to 127.0.0.1 only, each stage is bounded in time and in users, and the servers
started here (each in a process group of its own) are stopped at the end, whatever happens.
Targets (issue 14): zero errors; p95 < 300 ms at 100 users on the 2-core machine.

Each simulated user waits `--wait MIN,MAX` seconds (uniform) between requests: 1-3 s by
default, a stress pace (100 users ask ~45 pages a second, 160,000 an hour). A person reading a
household record or typing a note asks for pages far less often; `--wait 5,15` is one such
pace, to be read as that and not in place of the default.
"""

from __future__ import annotations

# locust drives its users with gevent, which must patch the standard library before anything
# else is imported. This process never imports Django: the servers run in their own.
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PASSWORD = "maeul-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster for one run of the bench (`--pg`)."""

    OS_USER = "maeulci"

    def __init__(self) -> None:
        import glob
        import tempfile

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version)
        if not found:
            sys.exit("--pg: PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) are missing")
        self.bin = Path(found[-1])
        self.root = os.geteuid() == 0
        self.data = Path(tempfile.mkdtemp(prefix="maeul-load-pg-"))
        self.port = free_port()
        self.url = f"postgres://maeul@127.0.0.1:{self.port}/maeul"
        self.started = False

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.root:
            command = ["runuser", "-u", self.OS_USER, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        if self.root:
            import pwd

            try:
                pwd.getpwnam(self.OS_USER)
            except KeyError:
                subprocess.run(
                    ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                     self.OS_USER],
                    check=True,
                )  # fmt: skip
            os.chown(self.data, pwd.getpwnam(self.OS_USER).pw_uid, -1)
        self.run("initdb", "-D", str(self.data), "-U", "maeul", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8")  # fmt: skip
        # Durable settings (fsync on), as a production server has; memory for a small machine.
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
            "-c shared_buffers=256MB -c max_connections=200"
        )
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log"),
                 "-w", "start")  # fmt: skip
        self.started = True
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "maeul", "maeul")

    def stop(self) -> None:
        import shutil

        if self.started:
            try:
                self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.data, ignore_errors=True)


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", path))


def prepare_demo(households: int) -> None:
    """migrate and seed_demo into the (throwaway) database the environment names."""
    env = {**os.environ, "MAEUL_ENV": "demo", "DEBUG": "0"}
    for step in (
        ["migrate", "--noinput", "-v", "0"],
        ["seed_demo", "--households", str(households)],
    ):
        started = time.monotonic()
        subprocess.run([str(PYTHON), "manage.py", *step], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        print(f"{step[0]}: {time.monotonic() - started:.0f} s", flush=True)


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM each server's process group (gunicorn's workers, the task worker), then
    SIGKILL what is left after 30 s, and wait for all: nothing stays behind."""
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=30)


def start_stack(port: int, workers: int) -> list[subprocess.Popen]:
    env = {**os.environ, "MAEUL_ENV": "demo", "DEBUG": "0"}
    web = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "maeul.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--preload",  # load the app once, before the workers fork
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(PYTHON), "manage.py", "db_worker", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if conn.recv(64).split(b" ")[1:2] == [b"200"]:
                    return [web, worker]
        except OSError:
            pass
        time.sleep(0.5)
    stop([web, worker])
    sys.exit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="50,100,200")
    parser.add_argument("--seconds", type=int, default=30, help="per stage, after ramp-up")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--wait", default="1,3", help="MIN,MAX seconds a user waits between requests"
    )
    parser.add_argument(
        "--pg",
        action="store_true",
        help="make a throwaway PostgreSQL cluster with the demo district, removed at the end",
    )
    parser.add_argument(
        "--households", type=int, default=14_500, help="the demo district's size with --pg"
    )
    args = parser.parse_args()
    users_per_stage = [int(u) for u in args.users.split(",")]
    try:
        args.wait_min, args.wait_max = (float(w) for w in args.wait.split(","))
    except ValueError:
        sys.exit("--wait takes MIN,MAX in seconds, e.g. 1,3")
    if not 0 <= args.wait_min <= args.wait_max <= 600:
        sys.exit("--wait: 0 <= MIN <= MAX <= 600")
    if max(users_per_stage) > 500 or args.seconds > 600:
        sys.exit("bounded: at most 500 users and 600 s a stage")

    cluster = None
    if args.pg:
        cluster = Cluster()
        try:
            cluster.start()
            os.environ["DATABASE_URL"] = cluster.url
            print(f"throwaway PostgreSQL on 127.0.0.1:{cluster.port}", flush=True)
            prepare_demo(args.households)
            # A live database's statistics are kept by autovacuum; a fresh one has none yet.
            cluster.run("psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "maeul",
                        "-d", "maeul", "-c", "ANALYZE")  # fmt: skip
        except BaseException:
            cluster.stop()
            raise
    try:
        measure(args, users_per_stage)
    finally:
        if cluster:
            cluster.stop()


def measure(args, users_per_stage: list[int]) -> None:
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    pending = subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--check"], cwd=ROOT, capture_output=True
    )
    if pending.returncode != 0:
        sys.exit("The database has unapplied migrations: run `manage.py migrate` first.")
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    processes = start_stack(port, args.workers)
    database = os.environ.get("DATABASE_URL", "sqlite (db.sqlite3)").split("@")[-1]
    print(
        f"gunicorn ({args.workers} workers) and db_worker on {host}, database {database}; "
        f"users wait {args.wait_min:g}-{args.wait_max:g} s between requests"
    )

    signed_in = [0]  # users past their sign-in (on_start), this stage

    # FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares
    # the server's two cores, and requests' client costs several times more CPU per request.
    class Staff(FastHttpUser):
        abstract = True
        wait_time = between(args.wait_min, args.wait_max)
        username = ""
        household_ids: list[str] = []

        def on_start(self) -> None:
            page = self.client.get("/login/", name="login page")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            with self.client.post(
                "/login/",
                {
                    "username": self.username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                },
                headers={"Referer": host + "/login/"},
                name="login",
                catch_response=True,
            ) as answer:
                # Redirects are followed: a wrong sign-in answers the login form again.
                if answer.ok and 'name="password"' in answer.text:
                    answer.failure("not signed in (the login page again)")
            listing = self.client.get("/households/", name="household list")
            self.household_ids = re.findall(r'href="/households/(\d+)/"', listing.text)[:50]
            signed_in[0] += 1

        def open_household(self) -> None:
            if self.household_ids:
                household = random.choice(self.household_ids)
                self.client.get(f"/households/{household}/", name="household page")

    class Official(Staff):
        weight = 5
        username = "mangmi1"

        @task(3)
        def dashboard(self) -> None:
            self.client.get("/", name="dashboard")

        @task(3)
        def leads(self) -> None:
            self.client.get("/leads/?status=open", name="lead queue")

        @task(4)
        def household(self) -> None:
            self.open_household()

        @task(2)
        def search(self) -> None:
            self.client.get(f"/households/?q={random.choice('김이박최정')}", name="search")

        @task(2)
        def cases(self) -> None:
            self.client.get("/cases/", name="case list")

        @task(1)
        def visits(self) -> None:
            self.client.get("/visits/", name="visits")

    class Nurse(Staff):
        weight = 2
        username = "nurse1"

        @task(2)
        def visits(self) -> None:
            self.client.get("/visits/", name="visits")

        @task(3)
        def household(self) -> None:
            self.open_household()

    class Volunteer(Staff):
        weight = 2
        username = "volunteer1"

        @task(2)
        def households(self) -> None:
            self.client.get("/households/", name="household list")

        @task(1)
        def report(self) -> None:
            self.client.get("/leads/report/", name="report form")

    class GuTeam(Staff):
        weight = 1
        username = "gu"

        @task(2)
        def indicators(self) -> None:
            self.client.get("/indicators/", name="indicators")

        @task(1)
        def dashboard(self) -> None:
            self.client.get("/", name="dashboard")

        @task(1)
        def sweep(self) -> None:
            self.client.get("/benefits/sweep/", name="sweep page")

    rows = []
    try:
        for users in users_per_stage:
            env = Environment(user_classes=[Official, Nurse, Volunteer, GuTeam], host=host)
            runner = env.create_local_runner()
            signed_in[0] = 0
            runner.start(users, spawn_rate=max(1, users / 10))
            # Ramp-up and sign-ins (password hashing, a burst no hub sees) are not measured:
            # the stage starts once every user has signed in (at most 5 minutes).
            deadline = time.monotonic() + 300
            time.sleep(10)
            while signed_in[0] < users and time.monotonic() < deadline:
                time.sleep(1)
            print(
                f"{users} users: {runner.user_count} running, "
                f"{env.stats.total.num_requests} requests in the ramp-up",
                flush=True,
            )
            env.stats.reset_all()
            time.sleep(args.seconds)
            total = env.stats.total
            rows.append(
                (
                    users,
                    total.num_requests,
                    total.num_requests / args.seconds,
                    total.get_response_time_percentile(0.5),
                    total.get_response_time_percentile(0.95),
                    total.get_response_time_percentile(0.99),
                    total.num_failures,
                )
            )
            slowest = sorted(
                env.stats.entries.values(),
                key=lambda e: e.get_response_time_percentile(0.95) or 0,
                reverse=True,
            )[:3]
            runner.quit()
            print(
                f"{users} users: slowest p95 "
                + ", ".join(
                    f"{e.name} {e.get_response_time_percentile(0.95):.0f} ms" for e in slowest
                ),
                flush=True,
            )
    finally:
        stop(processes)
    print()
    print(
        f"{'users':>6} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}"
    )
    for users, n, rps, p50, p95, p99, errors in rows:
        print(f"{users:>6} {n:>9} {rps:>7.1f} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} {errors:>7}")


if __name__ == "__main__":
    main()
