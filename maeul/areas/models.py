from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """An administrative area: sido → si/gun/gu → eup/myeon/dong → tong → ban.

    Sido, sigungu and dong carry the Ministry of the Interior's 10-digit administrative code;
    tong and ban extend their dong's code (`<dong>-T03`, `<dong>-T03-B02`).
    """

    class Level(models.TextChoices):
        SIDO = "sido", _("sido")
        SIGUNGU = "sigungu", _("si/gun/gu")
        DONG = "dong", _("eup/myeon/dong")
        TONG = "tong", _("tong")
        BAN = "ban", _("ban")

    class Subtype(models.TextChoices):
        """The kind of a si/gun/gu or an eup/myeon/dong: every analysis of the councils breaks
        down by it (seed 000, Table 2). Blank for the other levels."""

        SI = "si", _("si")
        GUN = "gun", _("gun")
        GU = "gu", _("gu")
        EUP = "eup", _("eup")
        MYEON = "myeon", _("myeon")
        DONG = "dong", _("dong")

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    subtype = models.CharField(
        _("subtype"), max_length=6, choices=Subtype.choices, blank=True, default=""
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> str:
        """The subtype, or what an unset one means: a dong, a gu (the urban default)."""
        if self.subtype:
            return self.subtype
        return {self.Level.DONG: "dong", self.Level.SIGUNGU: "gu"}.get(self.level, "")

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "ko").startswith("en"):
            return self.name_en
        return self.name


class Hub(models.Model):
    """The welfare hub of one dong (seed 001: basic type, or sphere type linked to a central dong)."""

    class HubType(models.TextChoices):
        BASIC = "basic", _("basic type")
        SPHERE = "sphere", _("sphere type")

    dong = models.OneToOneField(Area, on_delete=models.PROTECT, related_name="hub")
    opened_on = models.DateField(_("hub opened on"), null=True, blank=True)
    hub_type = models.CharField(
        _("hub type"), max_length=8, choices=HubType.choices, default=HubType.BASIC
    )
    central_hub = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="sphere_hubs"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.dong.name} hub"
