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
        TARGET = "target", _("campaign target")
        REGULAR = "regular", _("regular visit")
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
    # the visit this stop is, once planned (a planned visit's stop, or after "confirm")
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round", "seq"]
        indexes = [models.Index(fields=["household"])]


class Availability(models.Model):
    """A member's working day when it differs from the default (a full day, the role's mode of
    travel): a half day, a day off, another mode. One row per member and day."""

    class Shift(models.TextChoices):
        FULL = "full", _("full day")
        MORNING = "morning", _("morning only")
        AFTERNOON = "afternoon", _("afternoon only")
        OFF = "off", _("day off")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices, default=Shift.FULL)
    mode = models.CharField(_("travel"), max_length=8, choices=Mode.choices, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="routing_one_availability_a_day")
        ]
        ordering = ["day", "member_id"]

    def __str__(self) -> str:
        return f"{self.member} {self.day} {self.shift}"


class RegularVisit(models.Model):
    """A household one member visits regularly (the head of the dong's rounds of elderly
    people living alone, a manager's monthly check): every `every_weeks` weeks on `weekday`
    from `starts_on`. The planner adds it to that member's day."""

    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 Monday … 4 Friday
    every_weeks = models.PositiveSmallIntegerField(_("every … weeks"), default=1)
    starts_on = models.DateField(_("from"))
    minutes = models.PositiveSmallIntegerField(_("minutes at the door"), default=30)
    note = models.CharField(_("note"), max_length=120, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["weekday", "id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.household} · {self.weekday}"

    def falls_on(self, day) -> bool:
        if not self.active or day < self.starts_on or day.weekday() != self.weekday:
            return False
        return ((day - self.starts_on).days // 7) % max(self.every_weeks, 1) == 0
