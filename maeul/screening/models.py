"""Crisis signals received, outcomes learned from the hubs' records, screening runs and the
entries of their lists (each a lead of source "screening" with its score and reasons)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalEvent(models.Model):
    """One crisis-signal event about a household (``household, signal, observed_on, value``):
    the code as the data sends it — the pipeline learns the codes — the value an amount or
    months in arrears (empty: none), and which agency sent it (the same event may come from
    two; the features count it once)."""

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="crisis_signal_events"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    signal = models.CharField(_("signal"), max_length=64)
    observed_on = models.DateField(_("observed on"))
    value = models.FloatField(_("value"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["dong", "observed_on"]),
            models.Index(fields=["household", "observed_on"]),
        ]


class Outcome(models.Model):
    """What a hub found about a household on a day, read from its visits and assessments
    (``outcomes_collect``) or imported: the labels the model learns from."""

    class Result(models.TextChoices):
        IN_NEED = "in_need", _("in need")
        NOT_IN_NEED = "not_in_need", _("not in need")
        UNREACHABLE = "unreachable", _("unreachable")
        REFUSED = "refused", _("refused a visit")

    class Origin(models.TextChoices):
        ASSESSMENT = "assessment", _("assessment")
        VISIT = "visit", _("visit")
        IMPORT = "import", _("imported")

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="screening_outcomes"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField(_("observed on"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    origin_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["dong", "observed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "origin_id"],
                condition=models.Q(origin_id__isnull=False),
                name="screening_outcome_once",
            )
        ]


class ScreeningRun(models.Model):
    """One screening of a gu's dongs: queued when asked for, run by the tasks worker with its
    progress, done with its figures (``metrics``) and its lists (``ScreeningEntry``), or
    failed with the reason (nothing of it kept). One queued or running run per gu."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateField(_("as of"))
    visits_per_staff = models.PositiveIntegerField(_("visits per staff member"), default=4)
    dong_ids = models.JSONField(default=list)
    households = models.PositiveIntegerField(default=0)
    listed = models.PositiveIntegerField(default=0)
    leads_created = models.PositiveIntegerField(default=0)
    scorer = models.CharField(max_length=8, blank=True)  # "model" or "rule"
    seconds = models.FloatField(default=0)
    metrics = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class ScreeningEntry(models.Model):
    """A household on a run's list: its rank in its dong, the score, the rule's count and the
    signals that contributed most, in plain words; the lead it became."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="entries")
    lead = models.OneToOneField(
        "discovery.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    household = models.ForeignKey("people.Household", on_delete=models.CASCADE, related_name="+")
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    active_signals = models.PositiveIntegerField()
    #: [[code, value or null, contribution], ...], strongest first
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["dong_id", "rank"]
