"""The evaluation's own table: report runs (the Ministry's indicator table and the effect
estimates as Excel and PDF, built in the background)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import Role


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


class CaseloadStandard(models.Model):
    """The caseload a gu expects of one visiting worker in a month: open cases, follow-ups and
    visits. Every change is a new row (who set it and when stays on record); the newest row of
    a gu is the standard in force, used by the staffing page and the reports."""

    gu = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    open_cases = models.PositiveIntegerField(_("open cases per worker"))
    follow_ups = models.PositiveIntegerField(_("follow-ups per worker per month"))
    visits = models.PositiveIntegerField(_("visits per worker per month"))
    note = models.CharField(_("basis or note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["gu", "-set_at"])]

    def __str__(self) -> str:
        return f"{self.gu_id}: {self.open_cases}/{self.follow_ups}/{self.visits}"


class StaffPosting(models.Model):
    """One person posted to a dong's hub (or the gu team) with a role, a qualification and an
    employment, from a date until they leave or change post (a change is a new posting, so
    the staff by role, qualification and employment can be counted for any past month)."""

    class Qualification(models.TextChoices):
        SOCIAL_WORKER_1 = "social_worker_1", _("social worker, grade 1")
        SOCIAL_WORKER_2 = "social_worker_2", _("social worker, grade 2")
        MENTAL_HEALTH = "mental_health", _("mental health social worker")
        NURSE = "nurse", _("nurse")
        VOCATIONAL = "vocational", _("vocational counsellor")
        CARE_WORKER = "care_worker", _("care worker")
        NONE = "none", _("no qualification")

    class Employment(models.TextChoices):
        PUBLIC = "public", _("public official")
        FIXED_TERM = "fixed_term", _("fixed-term public servant")
        PRIVATE = "private", _("hired from the private sector")

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("posted to")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=24)
    qualification = models.CharField(
        _("qualification"), max_length=20, choices=Qualification.choices
    )
    employment = models.CharField(_("employment"), max_length=12, choices=Employment.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area__code", "name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="staff_posting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}, {self.starts_on}–{self.ends_on or ''})"

    @property
    def role_label(self) -> str:
        return str(dict(Role.choices).get(self.role, self.role))
