from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CrisisSignal(models.TextChoices):
    """Administrative crisis signals of the Ministry's high-risk list (social security
    information system: utility cut-offs and arrears, insurance arrears, job loss, ...)."""

    UTILITY_DISCONNECTION = "utility_disconnection", _("electricity, water or gas cut off")
    UTILITY_ARREARS = "utility_arrears", _("utility bill arrears")
    HEALTH_INSURANCE_ARREARS = "health_insurance_arrears", _("health-insurance arrears")
    PENSION_ARREARS = "pension_arrears", _("national pension arrears")
    RENT_ARREARS = "rent_arrears", _("rent or maintenance-fee arrears")
    TELECOM_ARREARS = "telecom_arrears", _("phone bill arrears")
    LOAN_DEFAULT = "loan_default", _("loan default")
    JOB_LOSS = "job_loss", _("job loss")
    BUSINESS_CLOSURE = "business_closure", _("business closed")
    MEDICAL_EXPENSE = "medical_expense", _("high medical expenses")
    HOUSING_VULNERABLE = "housing_vulnerable", _("precarious housing")
    HEAD_DEATH = "head_death", _("death of the household head")
    DISASTER = "disaster", _("disaster damage")
    SUICIDE_RISK = "suicide_risk", _("suicide or self-harm risk")
    CRIME_VICTIM = "crime_victim", _("crime victim")


class LeadUpload(models.Model):
    """A high-risk list uploaded as CSV or XLSX (e.g. the Ministry's crisis-signal list)."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    filename = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename

    @property
    def new_count(self) -> int:
        """Rows that registered a household the hub did not know (blind-spot candidates)."""
        return self.row_count - self.matched_count


#: The lead queue's first sort key, 0 for an emergency and 1 for any other lead
#: (`selectors.urgency_rank`), as indexed.
URGENCY_RANK = models.Case(
    models.When(urgency="emergency", then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


class Lead(models.Model):
    """A report that a household may be in need: the start of the core loop."""

    class Source(models.TextChoices):
        STAFF = "staff", _("hub staff")
        VOLUNTEER = "volunteer", _("safety-net volunteer")
        RESIDENT = "resident", _("resident request")
        PARTNER = "partner", _("partner institution")
        HIGH_RISK_LIST = "high_risk_list", _("high-risk list")
        SURVEY = "survey", _("target-group survey")
        SCREENING = "screening", _("blind-spot screening")

    class Urgency(models.TextChoices):
        EMERGENCY = "emergency", _("emergency")
        HIGH = "high", _("high")
        NORMAL = "normal", _("normal")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ASSIGNED = "assigned", _("assigned")
        VISIT_PLANNED = "visit_planned", _("visit planned")
        ASSESSED = "assessed", _("assessed")
        CLOSED = "closed", _("closed")

    class Match(models.TextChoices):
        RRN = "rrn", _("registration number")
        NAME_BIRTH_ADDRESS = "name_birth_address", _("name, birth date and address")
        NEW = "new", _("new household")

    class Relation(models.TextChoices):
        SELF = "self", _("myself")
        FAMILY = "family", _("family member")
        NEIGHBOUR = "neighbour", _("neighbour")
        OTHER = "other", _("other")

    OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.VISIT_PLANNED)

    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="leads")
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="leads"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.NEW
    )
    match = models.CharField(_("matched by"), max_length=20, choices=Match.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_leads",
    )
    partner = models.ForeignKey(
        "resources.PartnerInstitution", null=True, blank=True, on_delete=models.SET_NULL
    )
    reporter_name = models.CharField(_("reporter name"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=20, blank=True)
    reporter_relation = models.CharField(
        _("relation to the person"), max_length=12, choices=Relation.choices, blank=True
    )
    subject_name = models.CharField(_("name of the person"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200)
    description = models.TextField(_("what was seen"), blank=True)
    crisis_signals = models.JSONField(_("crisis signals"), default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_leads",
    )
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("registered"), db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("close reason"), max_length=200, blank=True)
    upload = models.ForeignKey(
        LeadUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["dong", "status", "due_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["reported_by"]),
            # The queue's order (`selectors.urgency_rank`, due time, id) per dong: a page of a
            # dong's leads, or of its open leads (the queue's default), is read in order
            # from the index (EXPLAIN at 1,000,000 residents: a sort of the dong's 42,000
            # leads otherwise). The open leads' index carries urgency and assignee, so that
            # a gu's queue page (10 dongs) and its counts (`lead_counts`) are read from the
            # index alone, not from 9,000 leads scattered over 6,000 table pages.
            models.Index("dong", URGENCY_RANK, "due_at", "id", name="discovery_lead_queue_idx"),
            models.Index(
                "dong",
                URGENCY_RANK,
                "due_at",
                "id",
                name="discovery_lead_open_queue_idx",
                include=["urgency", "assignee"],
                condition=models.Q(status__in=["new", "assigned", "visit_planned"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.address}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open and past its due time (emergency 24 h, high 3 days, normal 7 days)."""
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class OutboxMessage(models.Model):
    """A message maeul sent or queued: an acknowledgement to a reporter, a lead's closing
    status, a referral's reminder or escalation. Every message is written here (the log of
    what was said to whom); e-mails go through Django's e-mail framework, SMS through the
    configured provider (the demo's provider leaves them here, queued). Bodies never carry a
    household's personal details (`maeul.discovery.notify`)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    recipient = models.CharField(_("to"), max_length=254)
    purpose = models.CharField(_("purpose"), max_length=32)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
