"""p50/p95 of the hub's busiest pages on the demo district.

Run after `make demo` has built db.sqlite3 (or point DATABASE_URL elsewhere):
    .venv/bin/python bench/pages.py [--n 200]
Requests go through Django's full stack (middleware, sessions, templates, audit writes) with
the test client, in-process, as the demo official of Mangmi 1-dong (`mangmi1`) and the gu team.
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
os.environ.setdefault("MAEUL_ENV", "demo")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from maeul.accounts.models import User  # noqa: E402
from maeul.people.selectors import households_visible_to  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_get(client: Client, url: str, n: int) -> tuple[float, float, int]:
    client.get(url)  # warm caches and templates
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), percentile(samples, 0.95), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    user = User.objects.filter(username="mangmi1").first()
    if user is None:
        sys.exit("No demo district here: run `make demo` (or manage.py seed_demo) first.")
    household = households_visible_to(user).order_by("-events__occurred_at").first()
    print(
        f"database: {connection.vendor}; households: {households_visible_to(User.objects.get(username='gu')).count():,}"
    )
    print(f"{'page':38} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>6}")
    for username, label, url in [
        ("mangmi1", "dashboard (mangmi1)", "/"),
        ("mangmi1", "lead queue (mangmi1)", "/leads/"),
        ("mangmi1", "lead queue, overdue filter", "/leads/?overdue=1"),
        ("mangmi1", f"household page #{household.pk}", f"/households/{household.pk}/"),
        ("gu", "dashboard (gu team)", "/"),
        ("gu", "lead queue (gu team)", "/leads/"),
    ]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        p50, p95, size = time_get(client, url, args.n)
        print(f"{label:38} {p50:8.1f} {p95:8.1f} {size / 1024:6.1f}")


if __name__ == "__main__":
    main()
