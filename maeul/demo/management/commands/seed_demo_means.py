"""`manage.py seed_demo_means [--if-empty] [--seed N]`: fill MeansRecords for every resident of
an existing demo database, consistent with their current benefits (maeul.demo.means)."""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from maeul.benefits.models import MeansRecord
from maeul.benefits.selectors import receipts_current
from maeul.demo.means import means_for_demo
from maeul.people.models import Household, Resident


class Command(BaseCommand):
    help = "Fill synthetic means data (income, property) for every resident of the demo district."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when means data already exist."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options) -> None:
        if MeansRecord.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Means data already exist; nothing to do.")
                return
            raise CommandError("Means data already exist. Use --if-empty to skip.")
        started = time.perf_counter()
        today = timezone.localdate()
        residents = list(
            Resident.objects.filter(household__anonymised_at__isnull=True)
            .only("id", "household_id", "birth_date", "relation", "disability")
            .order_by("household_id", "id")
        )
        if not residents:
            raise CommandError("No residents: build the demo district first (seed_demo).")
        household_ids = Household.objects.values_list("pk", flat=True)
        receipts = receipts_current(household_ids, today)
        records = means_for_demo(
            random.Random(options["seed"]), residents, receipts=receipts, today=today
        )
        with transaction.atomic():
            MeansRecord.objects.bulk_create(records, batch_size=2000)
        self.stdout.write(
            f"{len(records):,} means records for {len({r.household_id for r in records}):,} "
            f"households in {time.perf_counter() - started:.1f} s"
        )
