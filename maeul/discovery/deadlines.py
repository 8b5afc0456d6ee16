"""Time to first contact by urgency (seed 004, "quick support"), counted from registration.
Every way a lead comes in — one at a time or in bulk — takes its due time from here."""

from __future__ import annotations

import datetime as dt

from maeul.discovery.models import Lead

DUE_AFTER = {
    Lead.Urgency.EMERGENCY: dt.timedelta(hours=24),
    Lead.Urgency.HIGH: dt.timedelta(days=3),
    Lead.Urgency.NORMAL: dt.timedelta(days=7),
}


def due_at_for(*, urgency: str, registered_at: dt.datetime) -> dt.datetime:
    return registered_at + DUE_AFTER[urgency]
