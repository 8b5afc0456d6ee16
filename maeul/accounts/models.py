from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from maeul.text import normalise_address


class Role(models.TextChoices):
    WELFARE_OFFICIAL = "welfare_official", _("welfare official")
    WELFARE_MANAGER = "welfare_manager", _("welfare manager")
    VISITING_NURSE = "visiting_nurse", _("visiting nurse")
    CASE_MANAGER = "case_manager", _("case manager")
    VOCATIONAL_COUNSELLOR = "vocational_counsellor", _("vocational counsellor")
    GU_TEAM = "gu_team", _("gu integrated-case team")
    ADMINISTRATOR = "administrator", _("administrator")
    VOLUNTEER = "volunteer", _("safety-net volunteer")
    PARTNER = "partner", _("partner institution")
    #: A member of a community social security council with an account (people.policy's
    #: CSSC row): the council's own pages, and a household only for a council review it
    #: consented to.
    CSSC_MEMBER = "cssc_member", _("community council member")
    #: The head of the dong (동장): heads the dong's administrative welfare centre, supervises
    #: its welfare team and visits households too (Seodaemun-gu's "the dong head visits").
    #: Hub staff of one dong (DONG_STAFF_ROLES); people.policy's row limits what they read.
    DONG_HEAD = "dong_head", _("head of the dong")


#: Members of a dong's bespoke welfare team (seed 003).
WELFARE_TEAM_ROLES = frozenset(
    {
        Role.WELFARE_OFFICIAL,
        Role.WELFARE_MANAGER,
        Role.VISITING_NURSE,
        Role.CASE_MANAGER,
        Role.VOCATIONAL_COUNSELLOR,
    }
)
#: Hub staff of one dong: the welfare team and the head of the dong, who supervises it. They
#: see their dong's households (which fields: people.policy).
DONG_STAFF_ROLES = WELFARE_TEAM_ROLES | {Role.DONG_HEAD}
#: Roles that see every household of the gu.
GU_ROLES = frozenset({Role.GU_TEAM, Role.ADMINISTRATOR})
#: Staff who make on-visit counselling (indicator: visiting personnel, seed 003). The head of
#: the dong visits too, but is not a post of the welfare team: not counted.
VISITING_ROLES = WELFARE_TEAM_ROLES | {Role.GU_TEAM}


class User(AbstractUser):
    """A person who signs in: hub staff, gu team, volunteer or partner contact."""

    role = models.CharField(
        _("role"), max_length=24, choices=Role.choices, default=Role.WELFARE_OFFICIAL
    )
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    home_area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The dong of hub staff and volunteers; the gu of the gu team."),
    )
    partner = models.ForeignKey(
        "resources.PartnerInstitution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    home_address = models.CharField(
        _("home address"),
        max_length=200,
        blank=True,
        help_text=_("Used only to flag reads of a neighbour's record (same address)."),
    )
    home_address_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    privately_employed = models.BooleanField(_("hired from the private sector"), default=False)
    hired_on = models.DateField(_("joined the hub on"), null=True, blank=True)
    left_on = models.DateField(_("left the hub on"), null=True, blank=True)

    def save(self, *args, **kwargs):
        self.home_address_key = normalise_address(self.home_address) if self.home_address else ""
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return self.full_name or self.username

    @property
    def is_dong_staff(self) -> bool:
        return self.role in DONG_STAFF_ROLES

    @property
    def is_gu_level(self) -> bool:
        return self.role in GU_ROLES

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def is_hub_staff(self) -> bool:
        """Staff who work households (dong staff or gu level)."""
        return self.is_dong_staff or self.is_gu_level


class SafetyNetMember(models.Model):
    """A resident in the dong's human safety net (seed 003): village foremen, volunteers,
    shop owners, institution staff, in one of three teams."""

    class Team(models.TextChoices):
        DISCOVERY = "discovery", _("discovery team")
        RESOURCE = "resource", _("resource support team")
        CARE = "care", _("visiting care team")

    class Kind(models.TextChoices):
        TONG_JANG = "tong_jang", _("tong head")
        BAN_JANG = "ban_jang", _("ban head")
        VOLUNTEER = "volunteer", _("volunteer")
        SHOP_OWNER = "shop_owner", _("shop owner")
        INSTITUTION = "institution", _("institution staff")
        DELIVERY = "delivery", _("delivery / meter reader")

    class Sex(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="safety_net"
    )
    name = models.CharField(_("name"), max_length=60)
    #: Blank when not recorded (members enrolled before the roster asked).
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="safety_net")
    tong = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ban = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.CharField(_("team"), max_length=12, choices=Team.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.VOLUNTEER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["dong", "team"])]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)


class AuditQuerySet(models.QuerySet):
    """The audit trail is append-only: bulk update and delete are refused."""

    def update(self, **kwargs):
        raise AuditImmutable("The audit trail cannot be changed.")

    def delete(self):
        raise AuditImmutable("The audit trail cannot be deleted.")


class AuditImmutable(Exception):
    pass


class AuditRecord(models.Model):
    """One read (or export) of a person's or household's record by a person (PIPA art. 29;
    DOMAIN.md 'Personal data'). Written by `audit_read`; never updated."""

    # No cascading update when a user is removed: the record keeps the username it was made with.
    user = models.ForeignKey(
        User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    username = models.CharField(max_length=150)
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=16)  # view, list, export, api
    household_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    household_ids = models.JSONField(default=list, blank=True)
    path = models.CharField(max_length=300)
    ip = models.GenericIPAddressField(null=True, blank=True)
    purpose = models.CharField(max_length=32, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["username", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditImmutable("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("The audit trail cannot be deleted.")


class AuditHour(models.Model):
    """Reads of a household (audit records naming one) per reader and clock hour (UTC): the
    exact running count the access alerts start from (`hub.audit_alerts`), so that finding
    the readers who may have opened too many households in an hour does not group a month of
    the audit trail on every view of the audit page (43,000 reads at 1,000,000 residents).

    Kept by a database trigger on every insert into the audit trail (`accounts/audit_hours.py`);
    the trail is append-only, so inserts are all there is to follow. Not a cache: there is no
    time to live, and an insert that does not count does not happen. `manage.py
    check_integrity` recounts it from the trail."""

    username = models.CharField(max_length=150)
    hour = models.DateTimeField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hour", "username"], name="accounts_audithour_key")
        ]
