"""The campaigns app's dashboard card: who is silent now (the check-in escalation chain)."""

from __future__ import annotations

from maeul.accounts.models import User
from maeul.campaigns.care import silent_households


def cards(*, user: User) -> list[dict]:
    if not (user.is_authenticated and (user.is_hub_staff or user.is_volunteer)):
        return []
    silent = list(silent_households(user=user)[:20])
    if not silent:
        return []
    return [{"template": "campaigns/_silent_card.html", "silent": silent}]
