from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maeul.people.fields import EncryptedTextField


class Programme(models.TextChoices):
    """Benefits a member can receive (ids shared with the eligibility rules, issue 3)."""

    NBLS_LIVELIHOOD = "nbls_livelihood", _("NBLS livelihood benefit")
    NBLS_MEDICAL = "nbls_medical", _("NBLS medical benefit")
    NBLS_HOUSING = "nbls_housing", _("NBLS housing benefit")
    NBLS_EDUCATION = "nbls_education", _("NBLS education benefit")
    NEAR_POOR = "near_poor", _("near-poor (chasangwi) status")
    BASIC_PENSION = "basic_pension", _("Basic Pension")
    DISABILITY_PENSION = "disability_pension", _("disability pension")
    SINGLE_PARENT = "single_parent", _("single-parent family support")
    EMERGENCY_WELFARE = "emergency_welfare", _("emergency welfare support")
    CHILD_ALLOWANCE = "child_allowance", _("child allowance")
    LOCAL_EMERGENCY_AID = "local_emergency_aid", _("gu emergency aid (ordinance)")
    LOCAL_LIVELIHOOD = "local_livelihood", _("gu livelihood stability (ordinance)")


class Domain(models.TextChoices):
    """Need domains of the hub's assessment (seed 003: income, employment, health, housing,
    care, education … as in the Ministry's case-management assessment form). Every app that
    names a need uses them: a visit's observed needs, an assessment, a case goal."""

    INCOME = "income", _("income")
    EMPLOYMENT = "employment", _("employment")
    HEALTH = "health", _("health")
    MENTAL_HEALTH = "mental_health", _("mental health")
    HOUSING = "housing", _("housing")
    CARE = "care", _("care")
    EDUCATION = "education", _("education")
    SAFETY = "safety", _("safety")
    LEGAL = "legal", _("legal")
    DAILY_LIVING = "daily_living", _("daily living")
    SOCIAL = "social", _("social relations")


class Household(models.Model):
    """A household known to the hub. Its situation changes only through services that write
    a `TimelineEvent`."""

    class Housing(models.TextChoices):
        OWNED = "owned", _("owned")
        JEONSE = "jeonse", _("jeonse (deposit lease)")
        MONTHLY_RENT = "monthly_rent", _("monthly rent")
        PUBLIC_RENTAL = "public_rental", _("public rental")
        OTHER = "other", _("other (goshiwon, room, none)")

    class Group(models.TextChoices):
        SENIOR_ALONE = "senior_alone", _("senior living alone")
        MIDDLE_AGED_ALONE = "middle_aged_alone", _("middle-aged living alone")
        POOR_CHILDREN = "poor_children", _("children in a poor household")
        NEAR_POOR = "near_poor", _("near-poor household")
        DISABLED = "disabled", _("household with a disabled member")
        SINGLE_PARENT = "single_parent", _("single-parent household")
        GRANDPARENT = "grandparent", _("grandparent-grandchild household")

    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="households")
    tong = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ban = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200)
    address_detail = models.CharField(_("unit / detail"), max_length=100, blank=True)
    address_key = models.CharField(max_length=200, db_index=True, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    housing = models.CharField(_("housing"), max_length=16, choices=Housing.choices, blank=True)
    groups = models.JSONField(_("vulnerable groups"), default=list, blank=True)
    care_notes = models.TextField(_("care notes"), blank=True)
    # Sensitive (PIPA art. 23): encrypted at rest, read only where maeul.people.policy allows.
    violence_notes = EncryptedTextField(_("domestic violence / abuse notes"), blank=True)
    care_volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="care_households"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by `apply_retention` when the personal data was removed after the retention period.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["dong", "id"])]

    def __str__(self) -> str:
        return f"{self.address} {self.address_detail}".strip()

    @property
    def head(self) -> Resident | None:
        members = list(self.members.all())
        for member in members:
            if member.relation == Resident.Relation.HEAD:
                return member
        return members[0] if members else None


class Resident(models.Model):
    """A member of a household. The resident registration number is stored only encrypted
    (`rrn_encrypted`) with a keyed blind index (`rrn_index`) for exact look-up (PIPA art. 24-2)."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    class Relation(models.TextChoices):
        HEAD = "head", _("head")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        GRANDCHILD = "grandchild", _("grandchild")
        SIBLING = "sibling", _("sibling")
        OTHER = "other", _("other")

    class Disability(models.TextChoices):
        NONE = "", _("none")
        MILD = "mild", _("mild")
        SEVERE = "severe", _("severe")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=60)
    name_key = models.CharField(max_length=60, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    relation = models.CharField(
        _("relation to head"), max_length=12, choices=Relation.choices, default=Relation.HEAD
    )
    disability = models.CharField(
        _("disability"), max_length=8, choices=Disability.choices, blank=True, default=""
    )
    # Sensitive (PIPA art. 23): encrypted at rest, read only where maeul.people.policy allows.
    health_notes = EncryptedTextField(_("health notes"), blank=True)
    disability_detail = EncryptedTextField(_("disability details"), blank=True)
    rrn_encrypted = models.TextField(blank=True, editable=False)
    rrn_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["household_id", "id"]
        indexes = [models.Index(fields=["name_key", "birth_date"])]

    def __str__(self) -> str:
        return self.name

    @property
    def rrn(self) -> str:
        from maeul.people.identity import decrypt

        return decrypt(self.rrn_encrypted) if self.rrn_encrypted else ""

    @property
    def rrn_masked(self) -> str:
        value = self.rrn
        return f"{value[:6]}-{value[7]}******" if value else ""


class BenefitReceipt(models.Model):
    """A benefit a member (or the household) receives, from `started_on` until `ended_on`."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="benefits")
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.CASCADE, related_name="benefits"
    )
    programme = models.CharField(_("programme"), max_length=24, choices=Programme.choices)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    monthly_amount = models.PositiveIntegerField(_("monthly amount (KRW)"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["household", "ended_on"])]


class Consent(models.Model):
    """Consent to the collection and use of personal information (PIPA art. 15, 17, 23)."""

    class Scope(models.TextChoices):
        HUB = "hub", _("hub case work")
        REFERRAL = "referral", _("referral to partner institutions")
        COUNCIL = "council", _("case review by the community council")
        SENSITIVE = "sensitive", _("sensitive data (health, disability)")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.CASCADE)
    purpose = models.CharField(_("purpose"), max_length=200)
    scopes = models.JSONField(_("scope"), default=list)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)


class TimelineEvent(models.Model):
    """One change in a household's situation or one act of the hub. Indicators are counted
    from these events, never from counters kept by hand."""

    class Kind(models.TextChoices):
        HOUSEHOLD_REGISTERED = "household_registered", _("household registered")
        LEAD_REGISTERED = "lead_registered", _("lead registered")
        LEAD_MATCHED = "lead_matched", _("lead joined a known household")
        LEAD_ASSIGNED = "lead_assigned", _("lead assigned")
        LEAD_CLOSED = "lead_closed", _("lead closed")
        VISIT_PLANNED = "visit_planned", _("visit planned")
        VISIT_COMPLETED = "visit_completed", _("visit completed")
        ASSESSMENT_RECORDED = "assessment_recorded", _("needs assessed")
        BLIND_SPOT_DISCOVERED = "blind_spot_discovered", _("blind spot discovered")
        CONSENT_GIVEN = "consent_given", _("consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")
        LINKAGE_PROPOSED = "linkage_proposed", _("service linkage proposed")
        LINKAGE_PROVIDED = "linkage_provided", _("service linkage provided")
        LINKAGE_DECLINED = "linkage_declined", _("service linkage declined")
        CASE_OPENED = "case_opened", _("case management opened")
        CASE_CLOSED = "case_closed", _("case management closed")
        CASE_REOPENED = "case_reopened", _("case management re-opened")
        PLAN_UPDATED = "plan_updated", _("service plan updated")
        CONFERENCE_HELD = "conference_held", _("case conference held")
        COUNCIL_REVIEW = "council_review", _("case reviewed by the council")
        BENEFIT_STARTED = "benefit_started", _("benefit started")
        BENEFIT_ENDED = "benefit_ended", _("benefit ended")
        RESOURCE_DISCOVERED = "resource_discovered", _("local resource discovered")
        HOUSEHOLD_UPDATED = "household_updated", _("household record updated")
        HOUSEHOLD_MERGED = "household_merged", _("household records merged")
        MERGE_UNDONE = "merge_undone", _("household merge undone")
        MEMBER_MOVED = "member_moved", _("member moved between households")
        SILENCE_REMINDER = "silence_reminder", _("missed check-in: volunteer reminded")
        SILENCE_ALERT = "silence_alert", _("missed check-in: nurse or official alerted")
        EMERGENCY_VISIT = "emergency_visit", _("missed check-in: emergency visit planned")

    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.CharField(max_length=24, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    amount = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["kind", "dong", "occurred_at"]),
            models.Index(fields=["household", "occurred_at"]),
        ]


class HouseholdMerge(models.Model):
    """Two records of one household merged into one (`people.registry.households_merge`):
    what was moved, so that the merge can be undone within 30 days. The merged record's own
    fields are kept in `snapshot` (its sensitive notes encrypted) to restore it."""

    kept = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="merges")
    merged_id = models.BigIntegerField()
    snapshot = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at"]
