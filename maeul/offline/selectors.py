"""Reads of the phone app's own table, always for the acting user."""

from __future__ import annotations

import uuid

from maeul.accounts.models import User
from maeul.offline.models import OfflineSubmission


def submission_of(*, user: User, key: uuid.UUID) -> OfflineSubmission | None:
    """What the user already sent under this idempotency key, if anything (keys are the
    user's own: another volunteer's key is never looked at)."""
    return OfflineSubmission.objects.filter(user=user, key=key).first()
