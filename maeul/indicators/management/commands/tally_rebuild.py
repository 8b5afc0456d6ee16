"""`manage.py tally_rebuild`: count every tally of the indicators again from the timeline and
the benefits received, in one transaction (the repair `check_integrity` points to; needed too
after a change of the target programmes), and the audit trail's reads per reader and hour
that the access alerts start from. Writers wait while it runs; pages read the old tallies
until it commits."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from maeul.accounts import audit_hours
from maeul.people.coverage import tallies_problems, tallies_rebuild


class Command(BaseCommand):
    help = (
        "Count the indicators' tallies again from the timeline and the benefits received, and"
        " the audit trail's reads per reader and hour."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        tallies_rebuild()
        hours = audit_hours.rebuild()
        self.stdout.write(
            f"Tallies rebuilt in {time.perf_counter() - started:.1f} s"
            f" ({hours} hours of reads in the audit trail)."
        )
        problems = tallies_problems()
        if audit_hours.mismatches():
            problems.append("the audit trail's reads per hour differ from a recount")
        for problem in problems:
            self.stdout.write(f"  - {problem}")
        if not problems:
            self.stdout.write("They equal a recount.")
