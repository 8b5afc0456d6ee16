"""Scoring a screening instrument: the score is the number of answers equal to their item's
`point_if`; a score at or above the cut-off is a positive screen. The instruments themselves
are data (`Instrument` rows; GDS-15 is loaded by migration 0002)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maeul.campaigns.models import Instrument
from maeul.errors import DomainError

ANSWERS = ("yes", "no")


@dataclass(frozen=True)
class Score:
    score: int
    max_score: int
    cutoff: int

    @property
    def positive(self) -> bool:
        return self.score >= self.cutoff


def instrument_score(instrument: Instrument, answers: Mapping[str, str]) -> Score:
    """Score a complete set of answers (every item answered "yes" or "no"); anything else is
    refused with the first missing or unknown item named."""
    keys = [item["key"] for item in instrument.items]
    unknown = sorted(set(answers) - set(keys))
    if unknown:
        raise DomainError(
            "invalid_item",
            _("Unknown item: %(item)s") % {"item": ", ".join(unknown)},
            field="answers",
        )
    points = 0
    for item in instrument.items:
        answer = answers.get(item["key"])
        if answer not in ANSWERS:
            raise DomainError(
                "answer_required",
                _("Answer every item of %(name)s (item %(item)s is missing).")
                % {"name": instrument.name, "item": item["key"]},
                field="answers",
            )
        if answer == item["point_if"]:
            points += 1
    return Score(score=points, max_score=len(keys), cutoff=instrument.cutoff)


def item_text(item: Mapping[str, str]) -> str:
    """The item's wording in the page's language (Korean first)."""
    language = (get_language() or "ko")[:2]
    return item.get(f"text_{language}") or item.get("text_ko") or item.get("text_en") or ""
