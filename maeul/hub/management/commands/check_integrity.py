"""`manage.py check_integrity`: the consistency checks a restored database must pass
(docs/production.md, "Backups"). Prints each check and what it found; exits 1 when anything
does not hold."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from maeul.hub.integrity import all_checks


class Command(BaseCommand):
    help = "Check the database's consistency: timelines, ledgers, the audit trail."

    def handle(self, *args, **options) -> None:
        failed = 0
        for check in all_checks():
            name = f"{check.__module__.rsplit('.', 1)[0]}.{check.__name__}"
            problems = check()
            if problems:
                failed += len(problems)
                for problem in problems:
                    self.stdout.write(f"FAIL  {name}: {problem}")
            else:
                self.stdout.write(f"ok    {name}")
        if failed:
            raise CommandError(f"{failed} problem(s) found")
        self.stdout.write(self.style.SUCCESS("The database is consistent."))
