"""The three files of `survey_analyse`: I.csv (`item,scale,text_ko,text_en`, scale empty for an
intent item), R.csv (one row per answer, `analysis.RESPONSE_COLUMNS`) and P.csv
(`participant_type,members`). UTF-8, with or without a byte-order mark."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from maeul.councils.survey.analysis import RESPONSE_COLUMNS, Item, SurveyInputError

INSTRUMENT_COLUMNS = ("item", "scale", "text_ko", "text_en")
POPULATION_COLUMNS = ("participant_type", "members")


def read_table(path: str | Path, columns: tuple[str, ...]) -> pl.DataFrame:
    """Every cell as text; the named columns required."""
    path = Path(path)
    if not path.is_file():
        raise SurveyInputError("missing_file", _("File not found: %(path)s") % {"path": path})
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (pl.exceptions.PolarsError, UnicodeDecodeError, OSError) as exc:
        raise SurveyInputError(
            "unreadable_file",
            _("%(path)s is not a readable UTF-8 CSV file: %(error)s")
            % {"path": path.name, "error": exc},
        ) from exc
    frame = frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SurveyInputError(
            "missing_columns",
            _("%(path)s lacks the column(s): %(columns)s.")
            % {"path": path.name, "columns": ", ".join(missing)},
        )
    return frame


def read_instrument(path: str | Path) -> list[Item]:
    frame = read_table(path, INSTRUMENT_COLUMNS).fill_null("")
    items = []
    for row in frame.iter_rows(named=True):
        code = row["item"].strip()
        if not code:
            raise SurveyInputError("blank_value", _("An item of the instrument has no code."))
        items.append(
            Item(
                item=code,
                scale=row["scale"].strip() or None,
                text_ko=row["text_ko"].strip(),
                text_en=row["text_en"].strip(),
            )
        )
    return items


def read_responses(path: str | Path) -> pl.DataFrame:
    return read_table(path, RESPONSE_COLUMNS)


def read_population(path: str | Path) -> dict[str, int]:
    frame = read_table(path, POPULATION_COLUMNS).fill_null("")
    population: dict[str, int] = {}
    for number, row in enumerate(frame.iter_rows(named=True), start=2):
        kind = row["participant_type"].strip()
        raw = row["members"].strip()
        if not kind or not raw.isdigit():
            raise SurveyInputError(
                "bad_population",
                _(
                    "Row %(row)d of the population: a participant type and a whole number of members."
                )
                % {"row": number},
            )
        if kind in population:
            raise SurveyInputError(
                "bad_population",
                _("Participant type %(value)r appears twice in the population.") % {"value": kind},
            )
        population[kind] = int(raw)
    return population


def write_instrument(path: str | Path, items: list[Item]) -> None:
    pl.DataFrame(
        {
            "item": [i.item for i in items],
            "scale": [i.scale or "" for i in items],
            "text_ko": [i.text_ko for i in items],
            "text_en": [i.text_en for i in items],
        }
    ).write_csv(path)
