"""What the audit of reads costs a household page (issue 4).

Times the household page as the Mangmi 1-dong official with the audit write as it is, then
with it replaced by a no-op, and the audit write alone; prints p50/p95 of each and the
difference, and checks that one page view writes exactly one audit record.
    .venv/bin/python bench/audit.py [--n 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")
os.environ.setdefault("MAEUL_ENV", "demo")

import django  # noqa: E402

django.setup()

from django.test import Client, RequestFactory  # noqa: E402

from bench.pages import percentile  # noqa: E402
from maeul.accounts import audit  # noqa: E402
from maeul.accounts.models import AuditRecord, User  # noqa: E402
from maeul.people.selectors import households_visible_to  # noqa: E402


def timed(fn, n: int) -> list[float]:
    fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def line(label: str, samples: list[float]) -> None:
    print(f"{label:36} {statistics.median(samples):8.2f} {percentile(samples, 0.95):8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    user = User.objects.filter(username="mangmi1").first()
    if user is None:
        sys.exit("No demo district here: run `make demo` (or manage.py seed_demo) first.")
    household = households_visible_to(user).order_by("pk").first()
    client = Client()
    client.force_login(user)
    url = f"/households/{household.pk}/"

    before = AuditRecord.objects.filter(household_id=household.pk).count()
    client.get(url)
    per_view = AuditRecord.objects.filter(household_id=household.pk).count() - before
    print(f"audit records per household-page view: {per_view}")

    with_audit = timed(lambda: client.get(url), args.n)
    with mock.patch.object(audit.AuditRecord.objects, "create", lambda **kw: None):
        without = timed(lambda: client.get(url), args.n)
    request = RequestFactory().get(url)
    request.user = user
    write_only = timed(lambda: audit.audit_read(request=request, household_id=household.pk), args.n)

    print(f"{'':36} {'p50 ms':>8} {'p95 ms':>8}")
    line("household page, audited", with_audit)
    line("household page, audit write skipped", without)
    line("audit write alone", write_only)
    print(
        f"audit adds: p50 {statistics.median(with_audit) - statistics.median(without):+.2f} ms, "
        f"p95 {percentile(with_audit, 0.95) - percentile(without, 0.95):+.2f} ms"
    )


if __name__ == "__main__":
    main()
