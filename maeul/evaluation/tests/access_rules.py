"""Access rules of the evaluation pages: hub staff and the gu team (aggregates only)."""

from __future__ import annotations

from tests.access import STAFF_PAGE

RULES = {
    "evaluation:series": STAFF_PAGE,
    "evaluation:effects": STAFF_PAGE,
}
