"""`manage.py seed_scale --residents N`: a registry of N residents for benchmarks (bench/scale.py),
with leads, visits, assessments, cases, linkages, consents, timeline events and audit records
in the demo district's proportions (maeul/demo/scale.py). COPY on PostgreSQL."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.demo.district import demo_district_exists
from maeul.demo.scale import build_scale


class Command(BaseCommand):
    help = "Build a synthetic registry of N residents (the demo gu) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--residents", type=int, required=True, help="Residents to generate (about)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options) -> None:
        residents = options["residents"]
        if residents < 100:
            raise CommandError("--residents must be at least 100.")
        if demo_district_exists():
            raise CommandError(
                "The demo gu (2650000000 수영구) already exists. seed_scale needs a fresh database."
            )
        counts = build_scale(
            residents=residents, seed=options["seed"], log=lambda line: self.stdout.write(line)
        )
        seconds = counts.pop("seconds")
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            self.stdout.write(f"  {key.ljust(width)}  {value:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Registry built in {seconds:.1f} s."))
