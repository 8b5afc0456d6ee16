from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maeul.people.models import Domain, Programme


class Assessment(models.Model):
    """Needs per domain (0 none – 3 severe), overall risk, consent and the decision."""

    class Risk(models.TextChoices):
        LOW = "low", _("low")
        MODERATE = "moderate", _("moderate")
        HIGH = "high", _("high")
        CRISIS = "crisis", _("crisis")

    class Decision(models.TextChoices):
        NO_NEED = "no_need", _("no need")
        LINKAGE_ONLY = "linkage_only", _("linkage only")
        CASE_GENERAL = "case_general", _("case management (general)")
        CASE_INTENSIVE = "case_intensive", _("case management (intensive)")

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="assessments"
    )
    visit = models.ForeignKey("visits.Visit", null=True, blank=True, on_delete=models.SET_NULL)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField()
    needs = models.JSONField(_("needs by domain"), default=dict)
    overall_risk = models.CharField(_("overall risk"), max_length=10, choices=Risk.choices)
    consent = models.ForeignKey("people.Consent", null=True, blank=True, on_delete=models.SET_NULL)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-assessed_at"]


class Case(models.Model):
    """Case management of a household with complex needs."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("general")
        INTENSIVE = "intensive", _("intensive")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class CloseReason(models.TextChoices):
        GOALS_MET = "goals_met", _("goals met")
        MOVED = "moved", _("moved away")
        REFUSED = "refused", _("service refused")
        DECEASED = "deceased", _("deceased")
        TRANSFERRED = "transferred", _("transferred to another agency")
        OTHER = "other", _("other")

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="cases"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_cases"
    )
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(
        _("close reason"), max_length=12, choices=CloseReason.choices, blank=True
    )
    follow_up_every_days = models.PositiveSmallIntegerField(_("follow-up every (days)"), default=30)
    #: Optimistic lock: every edit of the case (plan, conference, sign-off, close, re-open)
    #: adds one; an edit made from an older version is refused (`cases.concurrency`).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="open"),
                name="one_open_case_per_household",
            )
        ]
        indexes = [models.Index(fields=["dong", "status"])]


class Goal(models.Model):
    """A goal of the individual service plan, per need domain."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ACHIEVED = "achieved", _("achieved")
        DROPPED = "dropped", _("dropped")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    description = models.CharField(_("goal"), max_length=300)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )


class FollowUp(models.Model):
    """A scheduled follow-up of a case; done when a visit is recorded for it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due on"), db_index=True)
    visit = models.ForeignKey("visits.Visit", null=True, blank=True, on_delete=models.SET_NULL)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [
            # A case's next follow-up (`cases.selectors._next_follow_up`: the earliest not
            # done), read for every case a list sorts by it: an index-only probe instead of a
            # bitmap scan and a sort of the case's follow-ups.
            models.Index(
                fields=["case", "due_on"],
                condition=models.Q(done_at__isnull=True),
                name="cases_followup_open_due",
            )
        ]


class Conference(models.Model):
    """A case conference (dong team, or the gu's integrated case conference)."""

    class Level(models.TextChoices):
        DONG = "dong", _("dong case conference")
        GU = "gu", _("gu integrated case conference")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    level = models.CharField(_("level"), max_length=4, choices=Level.choices, default=Level.DONG)
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("participants"), max_length=300)
    notes = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


class Linkage(models.Model):
    """A service linked to a household: public benefit, private resource, partner referral or
    emergency aid, followed from proposed to provided or declined."""

    class Kind(models.TextChoices):
        PUBLIC_BENEFIT = "public_benefit", _("public benefit")
        PRIVATE_RESOURCE = "private_resource", _("private resource")
        PARTNER_REFERRAL = "partner_referral", _("partner referral")
        EMERGENCY_AID = "emergency_aid", _("emergency aid")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        REQUESTED = "requested", _("applied / requested")
        ACCEPTED = "accepted", _("accepted")
        PROVIDED = "provided", _("provided")
        DECLINED = "declined", _("declined")
        RETURNED = "returned", _("returned")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", _("no places or budget left")
        NOT_ELIGIBLE = "not_eligible", _("not eligible for the service")
        OUT_OF_AREA = "out_of_area", _("outside our area")
        UNREACHABLE = "unreachable", _("household could not be reached")
        REFUSED = "refused", _("household refused the service")
        DUPLICATE = "duplicate", _("already served by us")
        OTHER = "other", _("other")

    #: A referral is worked by its partner: received (stored as proposed) → accepted or
    #: declined → served (stored as provided) or returned; the hub may withdraw it while open.
    #: Stored values are shared with the other kinds, so counts of provided services and the
    #: timeline's events mean the same for every kind.
    REFERRAL_LABELS = {
        "proposed": _("received"),
        "provided": _("served"),
    }
    #: Statuses in which a linkage still waits for someone.
    OPEN_STATUSES = ("proposed", "requested", "accepted")

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="linkages"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="linkages"
    )
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    programme = models.CharField(
        _("programme"), max_length=24, blank=True, choices=Programme.choices
    )
    resource = models.ForeignKey(
        "resources.Resource", null=True, blank=True, on_delete=models.SET_NULL
    )
    partner = models.ForeignKey(
        "resources.PartnerInstitution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    #: The directory service it uses (a referral to its organisation), when there is one.
    service = models.ForeignKey(
        "resources.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linkages",
    )
    #: The need domain it meets: what a restricted fund checks before paying for it.
    domain = models.CharField(_("need domain"), max_length=16, choices=Domain.choices, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.BigIntegerField(_("amount (KRW)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    updated_at = models.DateTimeField(null=True, blank=True)
    # A referral's answer and outcome, as the partner gave them.
    due_at = models.DateTimeField(_("answer due by"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=14, choices=DeclineReason.choices, blank=True
    )
    outcome_note = models.TextField(_("outcome"), blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["dong", "status"]),
            models.Index(fields=["status", "due_at"]),
            # A partner's referrals (`linkages_for_partner`): their portal's list in its order
            # and its count, from the index alone on PostgreSQL (the household for the consent
            # test, the status for the filter; elsewhere the INCLUDE is left out).
            models.Index(
                fields=["partner", "kind", "-proposed_at", "-id"],
                include=["household", "status"],
                name="cases_linkage_partner_list",
            ),
        ]

    @property
    def status_label(self) -> str:
        """The status as its reader knows it (a referral is received, then served)."""
        if self.kind == self.Kind.PARTNER_REFERRAL and self.status in self.REFERRAL_LABELS:
            return str(self.REFERRAL_LABELS[self.status])
        return str(self.get_status_display())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class SignOff(models.Model):
    """The team lead's sign-off of a case plan or a case closure, as in integrated case
    management: requested by the case worker, approved or returned with a comment."""

    class Subject(models.TextChoices):
        PLAN = "plan", _("case plan")
        CLOSURE = "closure", _("case closure")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for sign-off")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signoffs")
    subject = models.CharField(_("what"), max_length=8, choices=Subject.choices)
    close_reason = models.CharField(
        _("close reason"), max_length=12, choices=Case.CloseReason.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "subject"],
                condition=models.Q(status="pending"),
                name="one_pending_signoff_per_case_subject",
            )
        ]
