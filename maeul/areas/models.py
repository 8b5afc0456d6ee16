from django.conf import settings
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


class SphereLinkQuerySet(models.QuerySet):
    def active(self, on=None):
        """Links standing on the day `on` (default today): started, not yet ended."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=day)
        )


class SphereLink(models.Model):
    """A sphere-type hub model (seed 001): from `starts_on` the team of the central dong also
    works the households of the linked dong, until the link is ended (`ends_on`, the first day
    without it). A gu records and ends links on the evaluation's planning page; a link is never
    deleted, so who granted which access, and when, stays on record. A dong is linked to at
    most one central dong at a time, and a central dong is not itself linked (no chains)."""

    central_dong = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="sphere_links_out",
        verbose_name=_("central dong"),
    )
    linked_dong = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="sphere_links_in",
        verbose_name=_("linked dong"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = SphereLinkQuerySet.as_manager()

    class Meta:
        ordering = ["central_dong__code", "linked_dong__code", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(central_dong=models.F("linked_dong")),
                name="sphere_link_not_to_itself",
            ),
            models.UniqueConstraint(
                fields=["linked_dong"],
                condition=models.Q(ends_on__isnull=True),
                name="sphere_link_one_open_per_linked_dong",
            ),
        ]
        indexes = [models.Index(fields=["central_dong", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.central_dong} → {self.linked_dong} ({self.starts_on}–{self.ends_on or ''})"
