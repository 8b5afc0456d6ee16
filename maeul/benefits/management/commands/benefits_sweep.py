"""`manage.py benefits_sweep [--period 2026-11] [--create-leads] [--dong CODE ...]`: screen the
registry for every programme and print, per dong, blind spots and unqualified receipts.

Runs here and now, not in the worker, as a run of its own: refused while the page's sweep of
one of the same gus is waiting or running, and recorded (failed with the reason) like it."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.areas.models import Area
from maeul.benefits.services import sweep_run_execute, sweep_run_open
from maeul.errors import DomainError


class Command(BaseCommand):
    help = "Registry sweep: entitled but not receiving (blind spots) and receiving but no longer entitled."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="Month YYYY-MM (default: this month).")
        parser.add_argument(
            "--create-leads",
            action="store_true",
            help="Register a discovery lead for each blind spot without an open lead.",
        )
        parser.add_argument("--dong", action="append", help="Dong code (repeatable).")

    def handle(self, *args, **options) -> None:
        dong_ids = None
        if options["dong"]:
            dongs = dict(Area.objects.filter(code__in=options["dong"]).values_list("code", "pk"))
            unknown = set(options["dong"]) - set(dongs)
            if unknown:
                raise CommandError(f"Unknown dong code(s): {', '.join(sorted(unknown))}")
            dong_ids = list(dongs.values())
        started = time.perf_counter()
        try:
            opened = sweep_run_open(
                actor=None,
                period=options["period"],
                dong_ids=dong_ids,
                create_leads=options["create_leads"],
            )
            run = sweep_run_execute(run_id=opened.pk)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if run is None:
            raise CommandError(f"Sweep run {opened.pk} was taken by another process.")
        total = time.perf_counter() - started
        names = dict(
            Area.objects.filter(pk__in=[int(k) for k in run.results]).values_list("pk", "name")
        )
        self.stdout.write(
            f"period {run.period}: {run.households:,} households, {run.residents:,} residents"
        )
        self.stdout.write(
            f"{'dong':<14} {'households':>10} {'blind spots':>12} {'unqualified':>12} {'incomplete':>11}"
        )
        for dong_id, data in sorted(run.results.items(), key=lambda kv: names.get(int(kv[0]), "")):
            self.stdout.write(
                f"{names.get(int(dong_id), dong_id):<14} {data['households']:>10,} "
                f"{len(data['blind_spots']):>12,} {len(data['unqualified']):>12,} "
                f"{data['incomplete']:>11,}"
            )
        self.stdout.write(
            f"{'total':<14} {run.households:>10,} {run.blind_spots:>12,} {run.unqualified:>12,} "
            f"{run.incomplete:>11,}"
        )
        if options["create_leads"]:
            self.stdout.write(f"leads created: {run.leads_created:,}")
        self.stdout.write(
            f"sweep (database → results): {run.seconds:.2f} s; with saving the run: {total:.2f} s"
        )
