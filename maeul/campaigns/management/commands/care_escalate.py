"""Run the silence escalation chain once (schedule it, e.g. hourly)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maeul.campaigns.care import silence_escalate


class Command(BaseCommand):
    help = "Escalate missed care check-ins: remind, alert, plan an emergency visit."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Run as of this time (ISO 8601), for a replay.")

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now must be ISO 8601, not {options['now']!r}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        counts = silence_escalate(now=now)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
