"""`manage.py check_integrity`: the tallies the indicators read (maeul/tally) equal a recount of
the timeline and the benefits received; a difference names the tally and `manage.py
tally_rebuild` repairs it."""

from __future__ import annotations

from maeul.people.coverage import tallies_problems


def checks() -> list[str]:
    return tallies_problems()
