"""Outreach campaigns (seed: Suyeong-gu's whole-population and target-group surveys,
Seodaemun-gu's 55,510 households checked) and the screening instruments they carry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    """A screening instrument as data: its items, how each is scored, the cut-off and where
    it comes from. `items` is a list of {"key", "text_ko", "text_en", "point_if": "yes"|"no"};
    the score is the number of answers equal to their item's `point_if`, and a score at or
    above `cutoff` is a positive screen."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ko = models.CharField(_("Korean name"), max_length=120, blank=True)
    items = models.JSONField(_("items"), default=list)
    cutoff = models.PositiveSmallIntegerField(_("cut-off score"))
    source = models.TextField(_("source"))
    domain = models.CharField(_("need domain"), max_length=16, default="mental_health")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the page's language (Korean first)."""
        if (get_language() or "ko").startswith("ko") and self.name_ko:
            return self.name_ko
        return self.name

    @property
    def max_score(self) -> int:
        return len(self.items)


class Campaign(models.Model):
    """A campaign goes out to a target list for a period, with teams and safety-net members
    assigned. `area` is the dong it covers, or the gu for a gu-wide campaign."""

    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    teams = models.JSONField(_("teams"), default=list, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    safety_net = models.ManyToManyField(
        "accounts.SafetyNetMember", blank=True, related_name="campaigns"
    )
    filters = models.JSONField(_("target filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """One household on a campaign's target list and what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("not yet reached")
        UNREACHABLE = "unreachable", _("unreachable")
        REFUSED = "refused", _("refused")
        NOT_IN_NEED = "not_in_need", _("visited — not in need")
        IN_NEED = "in_need", _("visited — in need")
        LINKED = "linked", _("linked")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="campaign_targets"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    tong = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ban = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_targets",
    )
    #: A named safety-net member of the campaign who goes to the household (a tong head
    #: knocking on doors needs no account; the outcome is recorded by hub staff or by her
    #: when she signs in as a volunteer).
    member = models.ForeignKey(
        "accounts.SafetyNetMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_targets",
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    team = models.CharField(_("team"), max_length=12, blank=True)
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linkage = models.ForeignKey(
        "cases.Linkage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(_("screening answers"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("screening score"), null=True, blank=True)
    flagged = models.BooleanField(_("past the cut-off"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign_id", "dong_id", "tong_id", "ban_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="one_target_per_household"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "dong", "outcome"]),
            models.Index(fields=["assignee", "outcome"]),
        ]

    #: The funnel's stages: each is a subset of the one before (a refusal is a household
    #: reached — someone met it and it said no).
    REACHED = frozenset({"refused", "not_in_need", "in_need", "linked"})
    IN_NEED = frozenset({"in_need", "linked"})
    LINKED = frozenset({"linked"})


class CareWatch(models.Model):
    """A person living alone whose care volunteer checks in every `interval_days`. A check-in
    missed past the interval escalates (`campaigns.care.silence_escalate`): stage 1 the
    volunteer is reminded, stage 2 the visiting nurse or dong official is alerted, stage 3 an
    emergency visit is planned. A check-in brings it back to 0."""

    class Stage(models.IntegerChoices):
        QUIET = 0, _("checked in")
        REMINDED = 1, _("volunteer reminded")
        ALERTED = 2, _("nurse or official alerted")
        EMERGENCY = 3, _("emergency visit planned")

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="care_watch"
    )
    interval_days = models.PositiveSmallIntegerField(_("check-in every (days)"), default=7)
    last_check_in_at = models.DateTimeField(_("last check-in"))
    stage = models.PositiveSmallIntegerField(
        _("escalation"), choices=Stage.choices, default=Stage.QUIET
    )
    stage_at = models.DateTimeField(null=True, blank=True)
