from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    WALK = "walk", _("on foot")
    CAR = "car", _("by car")
    TRANSIT = "transit", _("by public transport")


class DayPlan(models.Model):
    """The optimised rounds of one dong's visiting staff for one day, and the visits that did
    not fit (`dropped`: task key, household, label, priority)."""

    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField(_("planned at"))
    revision = models.PositiveIntegerField(default=1)
    dropped = models.JSONField(default=list, blank=True)
    # task keys taken off this day by hand ("not today"), kept off when re-planning
    skipped = models.JSONField(default=list, blank=True)
    solve_ms = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dong", "day"], name="routing_one_plan_per_dong_day")
        ]
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.dong} {self.day}"


class Round(models.Model):
    """One staff member's day: the ordered stops from the centre back to the centre."""

    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="rounds")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("travel"), max_length=8, choices=Mode.choices, default=Mode.WALK)
    travel_s = models.PositiveIntegerField(_("travel time (s)"), default=0)
    back_at_s = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="routing_one_round_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.member}"


class Stop(models.Model):
    """A stop of a round: a visit (planned visit, case follow-up or new lead) or lunch."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("planned visit")
        FOLLOW_UP = "follow_up", _("case follow-up")
        LEAD = "lead", _("new lead")
        LUNCH = "lunch", _("lunch break")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stops")
    seq = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=40)  # "visit:12", "follow_up:5", "lead:9", "lunch"
    household = models.ForeignKey(
        "people.Household", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(default=3)
    label = models.CharField(max_length=120, blank=True)
    arrive_s = models.PositiveIntegerField()
    start_s = models.PositiveIntegerField()
    end_s = models.PositiveIntegerField()
    travel_s = models.PositiveIntegerField(default=0)
    joint_with = models.JSONField(default=list, blank=True)  # other members' user ids

    class Meta:
        ordering = ["round", "seq"]
        indexes = [models.Index(fields=["household"])]
