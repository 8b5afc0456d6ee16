"""Access rules of the screening pages (see tests/access.py): hub staff see the lists of
their dongs; anyone else gets 404."""

from __future__ import annotations

from tests.access import STAFF_PAGE

RULES = {
    "screening:run": STAFF_PAGE,
    "screening:run_status": STAFF_PAGE,
}
