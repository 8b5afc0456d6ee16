"""`manage.py evaluate_did --panel P.csv [--json] [--control not_yet_treated|never_treated]`:
the difference-in-differences effect of a treatment adopted at different months by different
units (Callaway–Sant'Anna), for analysts and for checking the pages' figures.

P.csv: `unit,period,treated_from,outcome` (period and treated_from as YYYY-MM; treated_from
empty for a unit never treated). With --json it prints
`{"estimate", "ci_low", "ci_high", "se", "n_units", "n_periods", "method"}`: the average effect
on the treated over all treated unit-months on or after their treatment date in the panel, its
95% interval and standard error."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.evaluation.did import CONTROLS, PanelError, estimate_did, read_panel_csv


class Command(BaseCommand):
    help = (
        "Difference-in-differences under staggered adoption (Callaway–Sant'Anna) from a panel CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--panel", required=True, help="CSV: unit,period,treated_from,outcome ('-' = stdin)."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the estimate as one JSON object."
        )
        parser.add_argument(
            "--control", choices=CONTROLS, default="not_yet_treated", help="Comparison units."
        )

    def handle(self, *args, **options) -> None:
        source = options["panel"]
        try:
            text = (
                sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
            )
        except OSError as exc:
            raise CommandError(f"cannot read the panel {source}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CommandError(f"the panel {source} is not UTF-8 text") from None
        try:
            result = estimate_did(read_panel_csv(text), control=options["control"])
        except PanelError as exc:
            raise CommandError(f"{source}: {exc.message}") from None
        for note in result.notes:
            self.stderr.write(f"note: {note}")
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
            return
        o = result.overall
        self.stdout.write(
            f"effect {o.estimate:.4f} (95% CI {o.ci_low:.4f} to {o.ci_high:.4f}, se {o.se:.4f}) over "
            f"{int(o.weight)} treated unit-months; {result.n_units} units, {result.n_periods} periods"
        )
        if result.pre_trend:
            p = result.pre_trend
            verdict = (
                "FLAGGED: pre-treatment effects differ from zero"
                if p.flagged
                else "no pre-trend detected"
            )
            self.stdout.write(
                f"pre-trend Wald {p.wald:.2f} on {p.df} df, p={p.p_value:.3f}: {verdict}"
            )
        self.stdout.write(f"method: {result.method}")
