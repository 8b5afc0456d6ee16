"""What the eligibility rules need that the people models do not hold: each member's declared
means, the household's region class, crisis situation and support obligors, and the record of
each registry sweep.

Money is monthly KRW (income) or KRW (property); ``None`` means *not known yet* — the rules
then answer "needs more data" and name the field, they never assume zero."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maeul.benefits.rules import CRISIS_SITUATIONS

MONEY_FIELDS = (
    "earned_income",
    "other_income",
    "assets_general",
    "assets_financial",
    "debts",
    "car_value",
)


class Region(models.TextChoices):
    """Region class of the property deductions (국민기초생활보장사업 안내; see docs/benefits.md)."""

    METROPOLITAN = "metropolitan", _("metropolitan city")
    CITY = "city", _("small or medium city")
    RURAL = "rural", _("rural area")


CRISIS_CHOICES = [(code, en) for code, (_ko, en) in CRISIS_SITUATIONS.items()]


class MeansRecord(models.Model):
    """A member's declared income and property, as counselled or checked in 행복e음."""

    resident = models.OneToOneField(
        "people.Resident", on_delete=models.CASCADE, related_name="means"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="means_records"
    )
    earned_income = models.PositiveBigIntegerField(
        _("earned income (KRW a month)"), null=True, blank=True
    )
    other_income = models.PositiveBigIntegerField(
        _("other income (KRW a month)"), null=True, blank=True
    )
    assets_general = models.PositiveBigIntegerField(
        _("general property (KRW)"), null=True, blank=True
    )
    assets_financial = models.PositiveBigIntegerField(
        _("financial assets (KRW)"), null=True, blank=True
    )
    debts = models.PositiveBigIntegerField(_("debts (KRW)"), null=True, blank=True)
    car_value = models.PositiveBigIntegerField(_("car value (KRW)"), null=True, blank=True)
    single_parent = models.BooleanField(_("raises children alone"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["household"])]

    @property
    def complete(self) -> bool:
        return all(getattr(self, field) is not None for field in MONEY_FIELDS)


class HouseholdSituation(models.Model):
    """The household-level facts of the rules: region class (blank = the gu's default) and
    the crisis situation (blank = none). Its existence means the crisis question was asked."""

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="benefit_situation"
    )
    region = models.CharField(_("region"), max_length=12, choices=Region.choices, blank=True)
    crisis = models.CharField(
        _("crisis situation"), max_length=24, choices=CRISIS_CHOICES, blank=True
    )
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class SupportObligor(models.Model):
    """A relative living apart who is legally bound to support the household (부양의무자)."""

    class Relation(models.TextChoices):
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        SPOUSE_OF_CHILD = "child_spouse", _("child's spouse")
        OTHER = "other", _("other")

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="support_obligors"
    )
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    annual_income = models.PositiveBigIntegerField(_("annual income (KRW)"), null=True, blank=True)
    assets = models.PositiveBigIntegerField(_("property (KRW)"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]


class SweepRun(models.Model):
    """One registry sweep: when, by whom, for which month and dongs, the counts and the
    households found, so that the gu page shows the last run without recomputing.

    A sweep started from the page is a background task (``maeul.benefits.tasks``): the row is
    written *queued* when it is asked for, the worker makes it *running*, records its progress
    (``done`` of ``total`` households) and ends it *done* (counts and results, with the leads,
    in one transaction) or *failed* (``error`` says why; nothing of the sweep is kept, so it can
    simply be run again). At most one queued or running sweep per gu (``sweep_run_open``).

    ``results``: ``{"<dong id>": {"blind_spots": [[household id, [programme, ...]], ...],
    "unqualified": [...], "households": n, "incomplete": n}}``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    create_leads = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Touched by every progress report: a running sweep that stops reporting was abandoned.
    updated_at = models.DateTimeField(auto_now=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    dong_ids = models.JSONField(default=list)
    households = models.PositiveIntegerField(default=0)
    residents = models.PositiveIntegerField(default=0)
    blind_spots = models.PositiveIntegerField(default=0)
    unqualified = models.PositiveIntegerField(default=0)
    incomplete = models.PositiveIntegerField(default=0)
    leads_created = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    results = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class LocalRuleSetting(models.Model):
    """A gu's value for one of its ordinance lines — a ``local.*`` parameter of the rules,
    e.g. ``livelihood.rate`` — from ``valid_from`` on (issue 3: the local programmes are
    "parameters a gu can edit"). Rows are never changed: a new value is a new row, so the
    history stays. For a month the rules take the row with the latest ``valid_from`` on or
    before its first day (on the same date, the one recorded last); before the gu's first row,
    the value of ``rules/parameters/local.yaml`` (the national demo default)."""

    gu = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("gu")
    )
    parameter = models.CharField(_("parameter"), max_length=64)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    valid_from = models.DateField(_("valid from"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["gu", "parameter", "-valid_from", "-changed_at", "-id"]
        indexes = [models.Index(fields=["gu", "parameter", "valid_from"])]
        verbose_name = _("gu ordinance line")
        verbose_name_plural = _("gu ordinance lines")

    def __str__(self) -> str:
        return f"{self.parameter} = {self.value} ({self.valid_from})"
