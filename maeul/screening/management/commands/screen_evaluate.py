"""Check the screening model on any data: train on the outcomes before the split date, test
on the households with an outcome on or after it, against the baseline rule."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.screening.features import InputError
from maeul.screening.pipeline import evaluate


class Command(BaseCommand):
    help = (
        "Evaluate the screening model against the rule: --signals S.csv (household, signal, "
        "observed_on, value) --outcomes O.csv (household, observed_on, in_need) "
        "--split-date YYYY-MM-DD --k K [--json]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--signals", required=True, help="CSV or Parquet of crisis signals")
        parser.add_argument("--outcomes", required=True, help="CSV or Parquet of outcomes")
        parser.add_argument("--split-date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--k", required=True, type=int, help="households listed")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options) -> None:
        try:
            split = dt.date.fromisoformat(options["split_date"])
        except ValueError as exc:
            raise CommandError(
                f"--split-date {options['split_date']!r} is not a date (YYYY-MM-DD)"
            ) from exc
        try:
            result = evaluate(
                options["signals"], options["outcomes"], split=split, k=options["k"]
            ).summary()
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        out = {
            "model": {
                "precision_at_k": result["model"]["precision_at_k"],
                "auc": result["model"]["auc"],
            },
            "rule": {
                "precision_at_k": result["rule"]["precision_at_k"],
                "auc": result["rule"]["auc"],
            },
            "k": result["k"],
            "n_test": result["n_test"],
        }
        if options["json"]:
            self.stdout.write(json.dumps(out))
            return
        self.stdout.write(f"households tested: {out['n_test']}, k = {out['k']}")
        for name in ("model", "rule"):
            self.stdout.write(
                f"{name:5}  precision@k {out[name]['precision_at_k']:.3f}  "
                f"AUC {out[name]['auc']:.3f}"
            )
