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


def api_token_issue(*, username: str, password: str, request=None) -> str:
    """Exchange a username and password for a bearer token valid for 12 hours."""
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise DomainError("invalid_credentials", _("Wrong username or password."))
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
