"""Anonymise the households whose case management ended more than the retention period ago.

Run monthly (deploy/maeul-retention.timer, or cron; docs/security.md "Retention"). The
indicators are unchanged by it: every counted row is kept, only personal data goes.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maeul.hub.retention import household_retire, households_due_for_anonymisation, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise households whose cases all closed more than --years ago, with no open "
        "lead, pending work or activity since. Audit records are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5, help="retention period (years)")
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
        parser.add_argument("--today", help="YYYY-MM-DD instead of today (Asia/Seoul)")

    def handle(self, *args, years: int, dry_run: bool, today: str | None, **options):
        if years < 1:
            raise CommandError("--years must be at least 1")
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--today must be a date, YYYY-MM-DD") from exc
        cutoff = retention_cutoff(today=day, years=years)
        due = list(households_due_for_anonymisation(today=day, years=years).only("pk"))
        if dry_run:
            ids = ", ".join(str(h.pk) for h in due[:50]) + (" …" if len(due) > 50 else "")
            self.stdout.write(
                f"dry run: {len(due)} households would be anonymised "
                f"(cases closed before {cutoff}){': ' + ids if due else ''}"
            )
            return
        now = timezone.now()
        for household in due:
            household_retire(household=household, at=now)
        self.stdout.write(f"anonymised {len(due)} households (cases closed before {cutoff})")
