"""The hub dashboard's cards from funds: sponsorships overdue or lapsed, and reviews due."""

from __future__ import annotations

from django.utils import timezone

from maeul.accounts.models import User
from maeul.funds.selectors import sponsorship_states


def cards(*, user: User) -> list[dict]:
    if not user.is_authenticated or not user.is_hub_staff:
        return []
    states = sponsorship_states(user=user, today=timezone.localdate())
    attention = [s for s in states if s.overdue or s.review_due]
    if not attention:
        return []
    return [
        {
            "template": "funds/_card_sponsorships.html",
            "sponsorships_attention": attention[:10],
            "sponsorships_lapsed": sum(1 for s in attention if s.lapsed),
            "sponsorships_overdue": sum(1 for s in attention if s.overdue and not s.lapsed),
            "sponsorships_review": sum(1 for s in attention if s.review_due),
        }
    ]
