"""Partner institutions (MOUs), the local resources found by the hubs, and the directory of
services, shaped as the Open Referral Human Services Data Specification 3 (HSDS): an
organisation (`PartnerInstitution`) runs services (`Service`) at locations (`Location`); a
service says who it is for (eligibility, ages), what to bring (`RequiredDocument`), its
capacity (places per month, budget left) and the need domains it meets. Every object carries
its HSDS identifier (`hsds_id`), kept across export and import."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maeul.people.models import Domain


class PartnerInstitution(models.Model):
    """A private or public institution with an MOU with the hub or the gu (seed 003)."""

    class Kind(models.TextChoices):
        WELFARE_CENTRE = "welfare_centre", _("community welfare centre")
        SENIOR_CENTRE = "senior_centre", _("senior welfare centre")
        HEALTH = "health", _("health centre / clinic")
        FIRE_STATION = "fire_station", _("fire station")
        MENTAL_HEALTH = "mental_health", _("mental health centre")
        EMPLOYMENT = "employment", _("employment centre")
        RELIGIOUS = "religious", _("religious organisation")
        BUSINESS = "business", _("business / shop")
        FOOD_BANK = "food_bank", _("food bank")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="partners")
    mou_signed_on = models.DateField(_("MOU signed on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    services = models.TextField(_("services offered"), blank=True)
    hsds_id = models.UUIDField(
        _("HSDS identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """A local resource discovered by the hub: a donation, a sponsor, a service (indicator:
    resource discovery cases and amount)."""

    class Kind(models.TextChoices):
        CASH = "cash", _("cash donation")
        GOODS = "goods", _("goods donation")
        SPONSORSHIP = "sponsorship", _("regular sponsorship")
        SERVICE = "service", _("service / talent donation")

    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="resources")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    partner = models.ForeignKey(
        PartnerInstitution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    provider_name = models.CharField(_("provider"), max_length=120, blank=True)
    amount = models.BigIntegerField(_("value (KRW)"), default=0)
    discovered_on = models.DateField(_("discovered on"))
    discovered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-discovered_on"]
        indexes = [models.Index(fields=["dong", "discovered_on"])]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """An MOU of a partner institution: what it undertakes to do, from when to when."""

    partner = models.ForeignKey(
        PartnerInstitution, on_delete=models.CASCADE, related_name="agreements"
    )
    scope = models.CharField(_("what they do"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]


class Location(models.Model):
    """Where an organisation delivers services (HSDS location with one physical address)."""

    hsds_id = models.UUIDField(
        _("HSDS identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    organization = models.ForeignKey(
        PartnerInstitution, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=160)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    address_1 = models.CharField(_("address"), max_length=200)
    city = models.CharField(_("city / gu"), max_length=80)
    state_province = models.CharField(_("province / metropolitan city"), max_length=80)
    postal_code = models.CharField(_("postal code"), max_length=10)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service of the directory (HSDS service): who runs it, where, for whom, what to
    bring, how many places a month and how much budget are left, which need domains it
    meets. Talent donations and volunteer services (repairs, haircuts, tutoring, funerals for
    people who die alone) are services too, with a roster."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        CLOSED = "temporarily closed", _("temporarily closed")

    class Kind(models.TextChoices):
        SERVICE = "service", _("service")
        TALENT = "talent", _("talent donation")
        VOLUNTEER = "volunteer", _("volunteer service")

    hsds_id = models.UUIDField(
        _("HSDS identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    organization = models.ForeignKey(
        PartnerInstitution, on_delete=models.PROTECT, related_name="directory_services"
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="directory_services",
        help_text=_("The dong or gu it serves."),
    )
    name = models.CharField(_("name"), max_length=160)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    domains = models.JSONField(_("need domains"), default=list)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    places_per_month = models.PositiveIntegerField(_("places per month"), null=True, blank=True)
    budget_left = models.BigIntegerField(_("budget left (KRW)"), null=True, blank=True)
    locations = models.ManyToManyField(Location, blank=True, related_name="services")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return self.name

    def domain_labels(self) -> list[str]:
        return [str(Domain(d).label) for d in self.domains if d in Domain.values]

    @property
    def has_roster(self) -> bool:
        return self.kind in (self.Kind.TALENT, self.Kind.VOLUNTEER)


class RequiredDocument(models.Model):
    """A document a person must bring to use the service."""

    hsds_id = models.UUIDField(
        _("HSDS identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    document = models.CharField(_("document"), max_length=200)

    class Meta:
        ordering = ["id"]


#: Korean weekday initials, Monday first (the order of `RosterShift.weekdays`).
WEEKDAYS_KO = "월화수목금토일"


class RosterShift(models.Model):
    """Who gives a talent donation or volunteer service when: a member of the dong's human
    safety net, or a named volunteer outside it, on some weekdays (and hours), from a date
    until a date (open-ended when not given)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="shifts")
    member = models.ForeignKey(
        "accounts.SafetyNetMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roster_shifts",
        verbose_name=_("safety-net member"),
    )
    volunteer_name = models.CharField(
        _("volunteer or group"),
        max_length=120,
        blank=True,
        help_text=_("For a volunteer or group outside the safety net."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    #: Weekday numbers, Monday 0 … Sunday 6; empty: on call (any day, by arrangement).
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    starts_at = models.TimeField(_("from (time)"), null=True, blank=True)
    ends_at = models.TimeField(_("until (time)"), null=True, blank=True)
    from_on = models.DateField(_("from"), null=True, blank=True)
    until_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["service_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | ~models.Q(volunteer_name=""),
                name="roster_shift_names_someone",
            )
        ]

    @property
    def who(self) -> str:
        if self.member_id is not None and self.member is not None:
            return self.member.name
        return self.volunteer_name

    @property
    def days_label(self) -> str:
        return "·".join(WEEKDAYS_KO[d] for d in sorted(self.weekdays) if 0 <= d < 7)

    @property
    def hours_label(self) -> str:
        if self.starts_at is None:
            return ""
        end = self.ends_at.strftime("%H:%M") if self.ends_at is not None else ""
        return f"{self.starts_at.strftime('%H:%M')}–{end}"

    def is_current(self, day) -> bool:
        return (self.from_on is None or self.from_on <= day) and (
            self.until_on is None or day <= self.until_on
        )
