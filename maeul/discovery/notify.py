"""Telling people: a reporter's acknowledgement and closing status, a referral's reminder to
the partner and its escalation to the case worker.

Every message is written to the outbox (`OutboxMessage`, read-only in the admin) and then
sent: e-mail through Django's e-mail framework, SMS through a pluggable provider named by the
setting `MAEUL_SMS_PROVIDER` (a dotted path to a class with `send(message)`); the default,
the demo's, leaves the message queued in the outbox. Messages are Korean first, then English,
and never carry a household's personal details: the caller passes the household's name and
address as `withhold`, and a message containing any of them is refused before anything is
written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from maeul.discovery.models import Lead, OutboxMessage
from maeul.errors import DomainError


class SmsProvider(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Send one SMS; raise on failure. Called after the message is in the outbox."""


class OutboxSmsProvider:
    """The demo's provider: the message stays in the outbox, queued, for a gateway to pick up
    (or for people to read in the admin)."""

    def send(self, message: OutboxMessage) -> None:
        return None


def sms_provider() -> SmsProvider:
    path = getattr(settings, "MAEUL_SMS_PROVIDER", "")
    return import_string(path)() if path else OutboxSmsProvider()


def bilingual(render: Callable[[], str]) -> str:
    """The text in Korean, then in English (for residents and partners who read English)."""
    with translation.override("ko"):
        korean = str(render())
    with translation.override("en"):
        english = str(render())
    return korean if korean == english else f"{korean}\n\n{english}"


def withheld_in(text: str, withhold: Iterable[str]) -> list[str]:
    """The personal details (names, addresses; 2+ characters) that appear in the text."""
    compact = "".join(text.split())
    found = []
    for value in withhold:
        value = "".join((value or "").split())
        if len(value) >= 2 and value in compact:
            found.append(value)
    return found


def message_send(
    *,
    channel: str,
    recipient: str,
    purpose: str,
    subject: str,
    body: str,
    about: object | None = None,
    withhold: Iterable[str] = (),
) -> OutboxMessage:
    """Write one message to the outbox and send it. A message carrying any of `withhold` (the
    household's name and address) is refused (`personal_details`) and nothing is written."""
    if channel not in OutboxMessage.Channel.values:
        raise DomainError("invalid_channel", "Unknown channel.")
    if not recipient.strip():
        raise DomainError("recipient_required", "No one to send to.")
    if withheld_in(f"{subject}\n{body}", list(withhold)):
        raise DomainError("personal_details", "A message may not carry a household's details.")
    message = OutboxMessage.objects.create(
        channel=channel,
        recipient=recipient.strip()[:254],
        purpose=purpose[:32],
        subject=subject[:200],
        body=body,
        subject_type=type(about).__name__.lower() if about is not None else "",
        subject_id=getattr(about, "pk", None),
    )
    try:
        if channel == OutboxMessage.Channel.EMAIL:
            send_mail(subject, body, None, [message.recipient])
            message.status, message.sent_at = OutboxMessage.Status.SENT, timezone.now()
        else:
            sms_provider().send(message)
            if message.status == OutboxMessage.Status.SENT and message.sent_at is None:
                message.sent_at = timezone.now()
    except Exception as exc:  # a provider's failure is recorded, never lost
        message.status, message.error = OutboxMessage.Status.FAILED, str(exc)[:300]
    message.save(update_fields=["status", "sent_at", "error"])
    return message


def notify_contact(
    *,
    email: str = "",
    phone: str = "",
    purpose: str,
    subject: str,
    body: str,
    about: object | None = None,
    withhold: Iterable[str] = (),
) -> OutboxMessage | None:
    """By e-mail when there is an address, else by SMS when there is a number; None when
    there is neither (nothing to send)."""
    if email.strip():
        channel, recipient = OutboxMessage.Channel.EMAIL, email
    elif phone.strip():
        channel, recipient = OutboxMessage.Channel.SMS, phone
    else:
        return None
    return message_send(
        channel=channel,
        recipient=recipient,
        purpose=purpose,
        subject=subject,
        body=body,
        about=about,
        withhold=withhold,
    )


def messages_about(obj: object) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            subject_type=type(obj).__name__.lower(), subject_id=getattr(obj, "pk", None)
        ).order_by("created_at", "id")
    )


def lead_withheld(lead: Lead) -> list[str]:
    """What a message about a lead must not say: the subject's name and address."""
    values = [lead.subject_name, lead.address]
    if lead.household_id is not None:
        household = lead.household
        values.append(household.address)
        values += [m.name for m in household.members.all()]
    return [v for v in values if v]


# Reporters told -----------------------------------------------------------------------------

#: Sources whose reporter is told: a volunteer or resident who reported, a resident who asked.
TOLD_SOURCES = (Lead.Source.VOLUNTEER, Lead.Source.RESIDENT, Lead.Source.PARTNER)


def _reporter_contact(lead: Lead) -> tuple[str, str]:
    """(e-mail, phone) of whoever reported: the user who filed it, else the phone given."""
    if lead.reported_by_id is not None and lead.reported_by is not None:
        return lead.reported_by.email or "", lead.reported_by.phone or lead.reporter_phone
    return "", lead.reporter_phone


def _tell_reporter(lead: Lead, purpose: str, subject, body) -> OutboxMessage | None:
    if lead.source not in TOLD_SOURCES:
        return None
    email, phone = _reporter_contact(lead)
    return notify_contact(
        email=email,
        phone=phone,
        purpose=purpose,
        subject=bilingual(subject).split("\n\n")[0],
        body=bilingual(body),
        about=lead,
        withhold=lead_withheld(lead),
    )


def lead_acknowledge(lead: Lead) -> OutboxMessage | None:
    """Thank the reporter and give the report's number; nothing about the household."""
    return _tell_reporter(
        lead,
        "lead_ack",
        lambda: _("[maeul] We received your report no. %(id)s") % {"id": lead.pk},
        lambda: (
            _(
                "Thank you. Your report no. %(id)s reached the welfare hub of %(dong)s, which will "
                "look into it. We will tell you when it is closed."
            )
            % {"id": lead.pk, "dong": lead.dong.name}
        ),
    )


def lead_closed_notice(lead: Lead) -> OutboxMessage | None:
    """Tell the reporter the report is closed; never why (the reason may be personal)."""
    return _tell_reporter(
        lead,
        "lead_closed",
        lambda: _("[maeul] Your report no. %(id)s is closed") % {"id": lead.pk},
        lambda: (
            _(
                "Your report no. %(id)s has been looked into by the welfare hub and is now closed. "
                "Thank you for watching over your neighbours."
            )
            % {"id": lead.pk}
        ),
    )
