from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
