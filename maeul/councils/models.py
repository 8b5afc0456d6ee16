"""Community social security councils (지역사회보장협의체): the eup/myeon/dong CSSCs and the
si/gun/gu council above them, their members, meetings, projects, budget, education and the
gu's annual plan; the perception survey's rounds (seed 000); the council's case reviews; the
Special Support Zones (seed 002)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Labels this app brings for words defined below it: accounts' new role and areas' subtype
#: (their Korean lives in this app's catalogue, which Django merges with the others).
LABELS = (_("community council member"), _("subtype"))


class ParticipantType(models.TextChoices):
    """The seven types of private participant, the survey's strata (seed 000, Table 2)."""

    VOLUNTEER_GROUP = "volunteer_group", _("member of a volunteer group")
    RESIDENTS_COUNCIL = "residents_council", _("member of the community residents' council")
    RESIDENT = "resident", _("regular resident")
    VILLAGE_HEAD = "village_head", _("village head")
    WORKER = "worker", _("worker in social welfare, education or health")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    OTHER = "other", _("other")


class Council(models.Model):
    """One council: a dong's CSSC (area of level dong) or the gu's council (level sigungu),
    to which the dong councils are linked."""

    area = models.OneToOneField("areas.Area", on_delete=models.PROTECT, related_name="council")
    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="dong_councils"
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)

    class Meta:
        ordering = ["area__code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_gu(self) -> bool:
        return self.parent_id is None and self.area.level == "sigungu"


class Member(models.Model):
    class Position(models.TextChoices):
        PRIVATE_CHAIR = "private_chair", _("private chair")
        PUBLIC_COCHAIR = "public_cochair", _("public co-chair")
        EXECUTIVE = "executive", _("executive member")
        GENERAL = "general", _("general member")

    class Sex(models.TextChoices):
        MALE = "m", _("man")
        FEMALE = "f", _("woman")

    class AgeBand(models.TextChoices):
        A20 = "20", "20–29"
        A30 = "30", "30–39"
        A40 = "40", "40–49"
        A50 = "50", "50–59"
        A60 = "60", "60–69"
        A70 = "70", _("70+")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    #: Members who also sit in another council (a dong member in the gu council's working group).
    also_in = models.ManyToManyField(Council, blank=True, related_name="guest_members")
    name = models.CharField(_("name"), max_length=40)
    participant_type = models.CharField(
        _("participant type"), max_length=20, choices=ParticipantType.choices
    )
    #: Several affiliations allowed: ParticipantType values.
    affiliations = models.JSONField(_("affiliations"), default=list, blank=True)
    position = models.CharField(
        _("position"), max_length=16, choices=Position.choices, default=Position.GENERAL
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=2, choices=AgeBand.choices)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term to"))
    #: The human safety-net teams (명예사회복지공무원 teams) the member leads.
    teams_led = models.JSONField(_("safety-net teams led"), default=list, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_member",
    )

    class Meta:
        ordering = ["council", "position", "name"]

    def __str__(self) -> str:
        return self.name


class WorkingGroup(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=80)
    members = models.ManyToManyField(Member, blank=True, related_name="working_groups")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("plenary")
        EXECUTIVE = "executive", _("executive committee")
        WORKING = "working", _("working group")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PLENARY)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(Member, blank=True, related_name="meetings_attended")

    class Meta:
        ordering = ["-held_on"]


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("decision"), max_length=300)
    carried_out = models.BooleanField(_("carried out"), null=True)
    note = models.CharField(_("how it was carried out"), max_length=300, blank=True)


class Project(models.Model):
    """A council project (특화사업)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="projects")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    plan = models.TextField(_("plan"))
    target_group = models.CharField(_("target group"), max_length=120)
    budget = models.PositiveIntegerField(_("budget (won)"))
    spent = models.PositiveIntegerField(_("spent (won)"), default=0)
    results = models.TextField(_("results"), blank=True)
    #: Self-assessment 1–5 (5: fully achieved), with the council's own words.
    self_score = models.PositiveSmallIntegerField(_("self-assessment"), null=True, blank=True)
    self_assessment = models.TextField(_("self-assessment notes"), blank=True)

    class Meta:
        ordering = ["-year", "title"]


class BudgetLine(models.Model):
    class Source(models.TextChoices):
        GU = "gu", _("gu subsidy")
        SIDO = "sido", _("city/province subsidy")
        DONATION = "donation", _("donations")
        OTHER = "other", _("other")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    amount = models.PositiveIntegerField(_("amount (won)"))
    #: What the money is for or where it comes from (the fund's name, a donor group).
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "source", "pk"]


class Education(models.Model):
    class Kind(models.TextChoices):
        BASIC = "basic", _("basic education")
        IN_DEPTH = "in_depth", _("in-depth education")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="educations")
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    hours = models.PositiveSmallIntegerField(_("hours"), default=2)
    attendees = models.ManyToManyField(Member, blank=True, related_name="educations")

    class Meta:
        ordering = ["-held_on"]


class AnnualPlan(models.Model):
    """The gu's annual community social security plan (연차별 시행계획)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="councils_plan_one_per_year")
        ]


class PlanPart(models.Model):
    """A dong's part of the gu's annual plan."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="parts")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="plan_parts")
    goals = models.TextField(_("goals"))
    actions = models.TextField(_("actions"))
    budget = models.PositiveIntegerField(_("budget (won)"), default=0)


class SurveyRound(models.Model):
    """A round of the perception survey over the councils of one or more gus. The population
    of members per participant type is taken when the sample is drawn."""

    title = models.CharField(_("title"), max_length=120)
    gus = models.ManyToManyField("areas.Area", related_name="survey_rounds")
    opened_on = models.DateField(_("opened on"))
    closes_on = models.DateField(_("closes on"))
    population = models.JSONField(_("population by participant type"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on"]

    def __str__(self) -> str:
        return self.title


def _token() -> str:
    return secrets.token_urlsafe(24)


class SurveyInvite(models.Model):
    """A sampled member's link: one answer per member, no login, an unguessable token."""

    class Source(models.TextChoices):
        WEB = "web", _("web link")
        PAPER = "paper", _("paper form")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invites")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="survey_invites")
    token = models.CharField(max_length=40, unique=True, default=_token)
    answered_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="councils_invite_once")
        ]


class SurveyAnswer(models.Model):
    invite = models.ForeignKey(SurveyInvite, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=12)
    answer = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invite", "item"], name="councils_answer_once"),
            models.CheckConstraint(
                condition=models.Q(answer__gte=1, answer__lte=7), name="councils_answer_1_7"
            ),
        ]


class CaseReview(models.Model):
    """A household's case brought to the council, with the household's consent (scope
    "council"); the decision is also written on the household's timeline."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="case_reviews")
    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="council_reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    decision = models.TextField(_("decision"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on"]


class Zone(models.Model):
    """A Social Security Special Support Zone (사회보장 특별지원구역, seed 002): tongs of one
    dong where vulnerable households concentrate and resources are scarce, selected by the gu
    with its reasons and the criteria as they stood."""

    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="support_zones")
    tongs = models.ManyToManyField("areas.Area", related_name="+")
    name = models.CharField(_("name"), max_length=80)
    selected_on = models.DateField(_("selected on"))
    reasons = models.TextField(_("reasons"))
    #: The weights and each tong's criteria at selection (what the gu saw).
    criteria = models.JSONField(default=dict)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-selected_on"]

    def __str__(self) -> str:
        return self.name


class ZonePlanYear(models.Model):
    """One year of the zone's four-year support plan."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="plan_years")
    year = models.PositiveSmallIntegerField(_("plan year (1–4)"))
    goals = models.TextField(_("goals"))
    projects = models.TextField(_("projects"))
    budget = models.PositiveIntegerField(_("budget (won)"), default=0)
    shared_spaces = models.CharField(_("shared spaces"), max_length=200, blank=True)
    services = models.CharField(_("community-tailored services"), max_length=200, blank=True)
    organising = models.CharField(
        _("resident organising (groups, meetings, members)"), max_length=200, blank=True
    )

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "year"], name="councils_zone_year_once"),
            models.CheckConstraint(
                condition=models.Q(year__gte=1, year__lte=4), name="councils_zone_year_1_4"
            ),
        ]
