"""TOTP second factor for staff (django-otp): enrol once with an authenticator app, then a
six-digit code at every login."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from maeul.accounts.models import User
from maeul.errors import DomainError


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device a user is enrolling (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_verify(*, user: User, token: str, request=None) -> TOTPDevice:
    """Check a code against the user's device (confirming it on first use) and mark the
    session verified when a request is given."""
    token = (token or "").strip().replace(" ", "")
    device = totp_device_for(user) or totp_enrolment_device(user)
    if not token.isdigit() or not device.verify_token(token):
        raise DomainError(
            "otp_invalid",
            _("The six-digit code is not right. Try the current code."),
            field="token",
        )
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    if request is not None:
        otp_login(request, device)
    return device
