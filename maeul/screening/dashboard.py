"""The screening app's dashboard card for the gu team: the last screening, its list per dong
and how many of the listed households were found in need so far."""

from __future__ import annotations

from maeul.accounts.models import User
from maeul.screening.selectors import screening_card


def cards(*, user: User) -> list[dict]:
    card = screening_card(user=user)
    if card is None:
        return []
    return [{"template": "screening/_card.html", **card}]
