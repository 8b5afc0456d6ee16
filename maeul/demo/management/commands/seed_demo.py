"""`manage.py seed_demo`: build the synthetic demo district (Suyeong-gu) with two years of
history. `make demo` runs it with --if-empty on every start."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.demo.district import build_demo_district, demo_district_exists, facts


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date like 2026-11-23, not {value!r}") from exc


class Command(BaseCommand):
    help = "Build the synthetic demo district (Suyeong-gu, Busan) with two years of history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the district already exists."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--households",
            type=int,
            default=facts.FULL_HOUSEHOLDS,
            help=f"Vulnerable households to generate (default {facts.FULL_HOUSEHOLDS}).",
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=facts.ANCHOR_TODAY,
            help=f"The demo's today (default {facts.ANCHOR_TODAY.isoformat()}, fixed so that "
            "a seed always gives the same data).",
        )

    def handle(self, *args, **options) -> None:
        if demo_district_exists():
            if options["if_empty"]:
                self.stdout.write("The demo district already exists; nothing to do.")
                return
            raise CommandError(
                "The demo district (2650000000 수영구) already exists. Use a fresh database, "
                "or --if-empty to skip."
            )
        today = options["today"]
        if isinstance(today, str):  # call_command(today="…") skips the argument parser
            today = _date(today)
        if options["households"] < 50:
            raise CommandError("--households must be at least 50.")
        if today <= facts.HISTORY_START + dt.timedelta(days=60):
            raise CommandError(
                f"--today must be after {facts.HISTORY_START + dt.timedelta(days=60)}."
            )
        demo = bool(settings.DEMO_MODE)
        counts = build_demo_district(
            seed=options["seed"],
            households=options["households"],
            today=today,
            demo_accounts=demo,
        )
        seconds = counts.pop("seconds")
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            self.stdout.write(f"  {key.ljust(width)}  {value:>9,}")
        if not demo:
            self.stdout.write(
                "DEMO_MODE is off: no sign-in accounts were created (every generated user has "
                "an unusable password)."
            )
        self.stdout.write(self.style.SUCCESS(f"Demo district built in {seconds:.1f} s."))
