"""Writes on accounts: API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import ApiToken, User
from maeul.errors import DomainError

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
