"""Remind partners of referrals left unanswered past their deadline and escalate to the case
worker those still unanswered a day after the reminder. Run daily (cron, or the worker)."""

from django.core.management.base import BaseCommand

from maeul.cases.services import referrals_chase


class Command(BaseCommand):
    help = "Remind partners of overdue referrals; escalate unanswered ones to the case worker."

    def handle(self, *args, **options) -> None:
        result = referrals_chase()
        self.stdout.write(f"reminded: {result['reminded']}, escalated: {result['escalated']}")
