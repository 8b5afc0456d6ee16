"""Run a blind-spot screening now (every dong, or those given) and print its summary."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.errors import DomainError
from maeul.screening.models import ScreeningRun
from maeul.screening.services import screening_run_execute, screening_run_open


class Command(BaseCommand):
    help = (
        "Screen every household for crisis signals and list, per dong, as many as its hub can "
        "visit, each as a lead (source screening) with its reasons."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--visits-per-staff", type=int, default=4)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of {options['as_of']!r} is not a date") from exc
        try:
            run = screening_run_open(
                actor=None, as_of=as_of, visits_per_staff=options["visits_per_staff"]
            )
            run = screening_run_execute(run_id=run.pk)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        assert isinstance(run, ScreeningRun)
        summary = {
            "run": run.pk,
            "as_of": run.as_of.isoformat(),
            "households": run.households,
            "listed": run.listed,
            "leads_created": run.leads_created,
            "scorer": run.scorer,
            "seconds": round(run.seconds, 2),
            "holdout": {
                k: run.metrics.get("holdout", {}).get(k) for k in ("model", "rule", "k", "n_test")
            },
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"run {run.pk}: {run.households} households, {run.listed} listed "
                f"({run.scorer}), {run.leads_created} leads, {run.seconds:.1f} s"
            )
