"""What the phone app sent: one row per idempotency key, so that a resend of the same report
or care visit (the network dropped after the server saved it, the phone retried) returns the
first result instead of writing a second lead or visit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflineSubmission(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("report of a household")
        CARE_VISIT = "care_visit", _("care visit")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offline_submissions"
    )
    #: Made on the phone (crypto.randomUUID) when the item was written, kept across resends.
    key = models.UUIDField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    #: The lead's id (report) or the visit's id (care visit).
    result_id = models.BigIntegerField()
    #: SHA-256 of the item as first sent: the same key with other content is refused.
    digest = models.CharField(max_length=64)
    #: When the volunteer wrote it on the phone (as the phone said), and when it arrived.
    written_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="offline_submission_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.result_id}"
