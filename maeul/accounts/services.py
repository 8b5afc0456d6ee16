"""Writes on accounts: API tokens, and the correction of a safety-net member's particulars
(the one writer of `SafetyNetMember` besides the admin)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import ApiToken, SafetyNetMember, User
from maeul.accounts.permissions import require_hub_staff
from maeul.accounts.scope import dong_ids_of
from maeul.areas.models import Area
from maeul.errors import DomainError, NotFound

TOKEN_LIFETIME = dt.timedelta(hours=12)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(*, username: str, password: str, otp: str | None = None, request=None) -> str:
    """Exchange a username and password for a bearer token valid for 12 hours. Staff need
    their TOTP code too where two-factor login is on."""
    from django.conf import settings

    from maeul.accounts.otp import totp_device_for, totp_verify

    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise DomainError("invalid_credentials", _("Wrong username or password."))
    if settings.MAEUL_REQUIRE_2FA and user.is_hub_staff:
        if totp_device_for(user) is None:
            raise DomainError(
                "otp_not_enrolled", _("Set up two-factor login in the web app first.")
            )
        if not otp:
            raise DomainError("otp_required", _("The TOTP code (otp) is required."), field="otp")
        totp_verify(user=user, token=otp)
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, digest=token_digest(raw), expires_at=timezone.now() + TOKEN_LIFETIME
    )
    return raw


def api_token_user(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None when unknown or expired."""
    token = (
        ApiToken.objects.select_related("user", "user__home_area")
        .filter(digest=token_digest(raw), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


#: The particulars hub staff may correct; `dong` and `joined_on` are not among them.
MEMBER_FIELDS = frozenset({"name", "sex", "phone", "team", "kind", "tong", "ban", "left_on"})


@transaction.atomic
def safety_net_member_update(
    *, actor: User, member: SafetyNetMember, **fields: Any
) -> SafetyNetMember:
    """Correct a safety-net member's particulars (hub staff of her dong): any of `name`,
    `sex`, `phone`, `team`, `kind`, `tong`, `ban` (areas) and `left_on` (a date or None);
    those not given keep their value. The tong lies in her dong and the ban in the tong;
    leaving is dated on or after joining. A member outside the actor's dongs is not found;
    any refusal writes nothing."""
    require_hub_staff(actor)
    unknown = sorted(set(fields) - MEMBER_FIELDS)
    if unknown:
        raise DomainError("invalid_field", _("Unknown particular: %s") % ", ".join(unknown))
    locked = (
        SafetyNetMember.objects.select_for_update()
        .filter(pk=member.pk, dong_id__in=dong_ids_of(actor))
        .first()
    )
    if locked is None:
        raise NotFound()
    member = locked
    name = str(fields.get("name", member.name)).strip()
    sex = fields.get("sex", member.sex) or ""
    phone = str(fields.get("phone", member.phone) or "").strip()
    team = fields.get("team", member.team)
    kind = fields.get("kind", member.kind)
    tong: Area | None = fields["tong"] if "tong" in fields else member.tong
    ban: Area | None = fields["ban"] if "ban" in fields else member.ban
    left_on: dt.date | None = fields["left_on"] if "left_on" in fields else member.left_on
    if not name:
        raise DomainError("name_required", _("The name is required."), field="name")
    if sex and sex not in SafetyNetMember.Sex.values:
        raise DomainError("invalid_sex", _("Unknown sex."), field="sex")
    if team not in SafetyNetMember.Team.values:
        raise DomainError("invalid_team", _("Unknown team."), field="team")
    if kind not in SafetyNetMember.Kind.values:
        raise DomainError("invalid_kind", _("Unknown kind of member."), field="kind")
    if tong is not None and (tong.level != Area.Level.TONG or tong.parent_id != member.dong_id):
        raise DomainError("invalid_tong", _("The tong is not in her dong."), field="tong")
    if ban is not None and (
        tong is None or ban.level != Area.Level.BAN or ban.parent_id != tong.pk
    ):
        raise DomainError("invalid_ban", _("The ban is not in the chosen tong."), field="ban")
    if left_on is not None and left_on < member.joined_on:
        raise DomainError(
            "invalid_left_on", _("She cannot leave before she joined."), field="left_on"
        )
    member.name = name[:60]
    member.sex = sex
    member.phone = phone[:20]
    member.team = team
    member.kind = kind
    member.tong = tong
    member.ban = ban
    member.left_on = left_on
    member.save()
    return member
