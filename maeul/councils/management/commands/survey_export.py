"""`manage.py survey_export --round ID --dir DIR`: a survey round's three files for
`survey_analyse` (I.csv, R.csv, P.csv). R.csv's respondent is the invite number, never a
name; communities are the dongs' codes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maeul.councils.models import SurveyRound
from maeul.councils.selectors import round_responses
from maeul.councils.survey.files import write_instrument
from maeul.councils.survey.instrument import ITEMS


class Command(BaseCommand):
    help = "Write a survey round's instrument, responses and population as CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", type=int, required=True, help="Survey round number.")
        parser.add_argument("--dir", required=True, help="Folder to write I.csv, R.csv, P.csv.")

    def handle(self, *args, **options) -> None:
        survey = SurveyRound.objects.filter(pk=options["round"]).first()
        if survey is None:
            raise CommandError(f"No survey round {options['round']}.")
        folder = Path(options["dir"])
        folder.mkdir(parents=True, exist_ok=True)
        write_instrument(folder / "I.csv", ITEMS)
        round_responses(survey).write_csv(folder / "R.csv")
        pl.DataFrame(
            {
                "participant_type": list(survey.population),
                "members": list(survey.population.values()),
            },
            schema={"participant_type": pl.Utf8, "members": pl.Int64},
        ).write_csv(folder / "P.csv")
        self.stdout.write(f"wrote {folder}/I.csv, R.csv, P.csv")
