"""The hub dashboard's card from cases: what waits for the team lead's sign-off."""

from __future__ import annotations

from maeul.accounts.models import User
from maeul.cases.services.signoff import signoffs_waiting


def cards(*, user: User) -> list[dict]:
    waiting = list(signoffs_waiting(user=user)[:20]) if user.is_authenticated else []
    if not waiting:
        return []
    return [{"template": "cases/_card_signoffs.html", "signoffs": waiting}]
