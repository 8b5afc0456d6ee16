"""p50/p95 of each page and API list of issue 14 on a registry built by `seed_scale`, and the
benefit registry sweep's time.

    DATABASE_URL=postgres://… .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://… .venv/bin/python manage.py seed_scale --residents 1000000
    DATABASE_URL=postgres://… .venv/bin/python bench/scale.py [--n 30] [--only audit] [--no-sweep]

Requests go through Django's whole stack in-process (middleware, sessions, templates, the
audit writes of every read) with the test client, each as the user who works with the page:
a dong's welfare official, the gu team, the gu's administrator (audit), a partner's contact
(referrals). API lists use a bearer token (the bench sets a password on its users: run it on
a throwaway database only). `--explain` prints EXPLAIN ANALYZE of the searches' queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")
os.environ.setdefault("MAEUL_ENV", "demo")  # no second factor for the bench's sign-ins

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from maeul.accounts.models import AuditRecord, Role, User  # noqa: E402
from maeul.accounts.services import api_token_issue  # noqa: E402
from maeul.people.models import Household, Resident  # noqa: E402
from maeul.people.selectors import household_search, households_visible_to  # noqa: E402

PASSWORD = "bench-only-password-8c1f"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_get(client: Client, url: str, n: int, **headers) -> tuple[float, float, int]:
    first = client.get(url, **headers)  # warm caches and templates
    assert first.status_code == 200, (url, first.status_code, first.content[:300])
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), percentile(samples, 0.95), len(response.content)


def token_for(user: User) -> dict:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    request = RequestFactory().post("/api/auth/token")
    token = api_token_issue(username=user.username, password=PASSWORD, request=request)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def sweep_time() -> str:
    from maeul.benefits.services import sweep_run_execute, sweep_run_open

    started = time.perf_counter()
    opened = sweep_run_open(actor=None, period=None, dong_ids=None, create_leads=False)
    run = sweep_run_execute(run_id=opened.pk)
    total = time.perf_counter() - started
    return (
        f"benefit registry sweep: {run.households:,} households, {run.residents:,} residents; "
        f"database → results {run.seconds:.2f} s, with saving the run {total:.2f} s"
    )


def bench_pages() -> tuple[list, list, tuple[User, list[str]]]:
    """The pages and the API lists, (user, label, url) each, and the gu team's user with the
    searches to EXPLAIN."""
    if not User.objects.filter(username="gu-team-1").exists():
        sys.exit("No seed_scale registry here: run `manage.py seed_scale --residents N` first.")
    official = max(
        User.objects.filter(role=Role.WELFARE_OFFICIAL, home_area__level="dong"),
        key=lambda u: households_visible_to(u).count(),
    )
    gu = User.objects.get(username="gu-team-1")
    admin = User.objects.get(username="gu-admin-1")
    partner = User.objects.filter(role=Role.PARTNER).order_by("username").first()
    # a household of the official's dong with a long timeline, a name and a road to search
    household = (
        households_visible_to(official).filter(events__kind="case_opened").order_by("pk").first()
        or households_visible_to(official).order_by("pk").first()
    )
    head = household.members.order_by("pk").first()
    road = household.address.split()[2] if len(household.address.split()) > 2 else ""
    pages = [
        (official, "dashboard (dong official)", "/"),
        (gu, "dashboard (gu team)", "/"),
        (official, "lead queue (dong official)", "/leads/"),
        (gu, "lead queue (gu team)", "/leads/"),
        (official, "household list (dong official)", "/households/"),
        (gu, "household list (gu team)", "/households/"),
        (gu, f"household search: name {head.name}", f"/households/?q={head.name}"),
        (gu, f"household search: 2 letters {head.name[1:]}", f"/households/?q={head.name[1:]}"),
        (gu, f"household search: road {road}", f"/households/?q={road}"),
        (official, f"household page #{household.pk}", f"/households/{household.pk}/"),
        (official, "case list (dong official)", "/cases/"),
        (gu, "case list (gu team)", "/cases/"),
        (partner, f"partner referrals ({partner.username})", "/cases/referrals/"),
        (gu, "indicators (gu team)", "/indicators/"),
        (admin, "audit search: all", "/audit/"),
        (admin, f"audit search: household #{household.pk}", f"/audit/?household={household.pk}"),
        (
            admin,
            "audit search: user, month",
            f"/audit/?user={official.username}&start=2026-10-01&end=2026-10-31",
        ),
    ]
    apis = [
        (official, "API leads (dong official)", "/api/leads/"),
        (gu, "API households (gu team)", "/api/households/"),
        (gu, "API households ?q=name (gu team)", f"/api/households/?q={head.name}"),
        (official, "API visits (dong official)", "/api/visits/"),
        (official, "API cases (dong official)", "/api/cases/"),
        (gu, "API cases (gu team)", "/api/cases/"),
    ]
    return pages, apis, (gu, [head.name, road])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--only", default="", help="only pages whose label contains this")
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    pages, apis, (gu, searches) = bench_pages()
    households = Household.objects.count()
    residents = Resident.objects.count()
    print(
        f"database: {connection.vendor}; {residents:,} residents in {households:,} households; "
        f"{AuditRecord.objects.count():,} audit records; n={args.n} per page; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"{'page':46} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>7}")
    for user, label, url in pages:
        if args.only and args.only not in label:
            continue
        client = Client()
        client.force_login(user)
        p50, p95, size = time_get(client, url, args.n)
        flag = "  > 200 ms" if p95 > 200 else ""
        print(f"{label:46} {p50:8.1f} {p95:8.1f} {size / 1024:7.1f}{flag}", flush=True)
    tokens: dict[int, dict] = {}
    for user, label, url in apis:
        if args.only and args.only not in label:
            continue
        headers = tokens.setdefault(user.pk, token_for(user))
        p50, p95, size = time_get(Client(), url, args.n, **headers)
        flag = "  > 200 ms" if p95 > 200 else ""
        print(f"{label:46} {p50:8.1f} {p95:8.1f} {size / 1024:7.1f}{flag}", flush=True)
    if args.explain:
        for q in searches:
            print(f"\nEXPLAIN ANALYZE household_search(gu team, q={q!r}):")
            print(household_search(user=gu, q=q).explain(analyze=True))
    if not args.no_sweep and not args.only:
        print(sweep_time())


if __name__ == "__main__":
    main()
