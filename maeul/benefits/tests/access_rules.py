"""Access rules of the benefit pages kept by the app (see tests/access.py); the older ones are
in tests/test_access_matrix.py's CORE_RULES."""

from __future__ import annotations

from tests.access import STAFF, rule

RULES = {
    # The means forms of the household page's benefit section, fetched when the user opens
    # them: hub staff of the household's dong, like the section itself.
    "benefits:household_means": rule("household", STAFF),
}
