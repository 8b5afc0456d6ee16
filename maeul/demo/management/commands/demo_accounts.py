"""`manage.py demo_accounts`: the sign-in accounts of the demo, printed for the person who
starts `make demo`. Only in demo mode: the password is public."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maeul.accounts.models import User
from maeul.demo.facts import DEMO_PASSWORD, DEMO_PERSONAS


class Command(BaseCommand):
    help = "Print the demo sign-in accounts (demo mode only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "demo_accounts runs only in demo mode (MAEUL_ENV=demo): the demo password is public."
            )
        users = {
            u.username: u
            for u in User.objects.filter(username__in=list(DEMO_PERSONAS)).select_related(
                "home_area", "partner"
            )
        }
        if not users:
            raise CommandError(
                "No demo accounts yet: run `manage.py seed_demo` in demo mode first."
            )
        rows = [("username", "role", "area", "password")]
        for username in DEMO_PERSONAS:
            user = users.get(username)
            if user is None:
                continue
            area = user.home_area.name if user.home_area else ""
            if user.partner_id:
                area = f"{user.partner.name} ({area})"
            rows.append((username, f"{user.role} · {user.full_name}", area, DEMO_PASSWORD))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for n, row in enumerate(rows):
            self.stdout.write(
                "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
            )
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
