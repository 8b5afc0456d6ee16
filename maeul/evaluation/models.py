"""The evaluation's own table: report runs (the Ministry's indicator table and the effect
estimates as Excel and PDF, built in the background)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportRun(models.Model):
    """One report a gu sends: the indicator table of a period (the rows the requester sees on
    the indicator page) and the effect of the hubs on each indicator, as Excel and PDF.

    Asked for on the reports page (*queued*), built by the worker (*running*, ``done`` of
    ``total`` steps: each month of the series counted, then the effects, the workbook, the
    PDF) and ended *done* with both files, or *failed* with the reason (nothing half-kept:
    the files are saved together at the end). ``summary`` keeps the figures written into
    both files, so that a test, or a reader, can compare them with the pages."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    gu = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, default="ko")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    xlsx = models.BinaryField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"report {self.pk} {self.period_start}–{self.period_end} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
