"""`manage.py survey_analyse --instrument I.csv --responses R.csv --population P.csv --json`:
the CSSC perception survey's weighted analysis (seed 000; docs/councils.md) from three CSV
files, printed as one JSON object (values unrounded)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.councils.survey.analysis import SurveyInputError, analyse
from maeul.councils.survey.files import read_instrument, read_population, read_responses


class Command(BaseCommand):
    help = "Analyse a CSSC perception survey: weighted item and scale means, shares, quintiles."
    requires_system_checks: list[str] = []  # files in, JSON out: no database, no checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", required=True, help="I.csv: item,scale,text_ko,text_en")
        parser.add_argument(
            "--responses",
            required=True,
            help="R.csv: respondent,community,community_type,participant_type,item,answer",
        )
        parser.add_argument("--population", required=True, help="P.csv: participant_type,members")
        parser.add_argument("--json", action="store_true", help="Print the analysis as JSON.")

    def handle(self, *args, **options) -> None:
        try:
            result = analyse(
                items=read_instrument(options["instrument"]),
                responses=read_responses(options["responses"]),
                population=read_population(options["population"]),
            )
        except SurveyInputError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"respondents: {result.respondents}")
        for scale, row in result.scales.items():
            mean = "-" if row["mean"] is None else f"{row['mean']:.2f}"
            gap = "-" if row["gap"] is None else f"{row['gap']:.2f}"
            self.stdout.write(f"{scale:<24} mean {mean}  gap {gap}")
