"""Writes of the phone app: a report or a care visit sent from the phone's outbox, each under
the idempotency key the phone made when the volunteer wrote it.

The lead or visit is written by its own app (`discovery.services.lead_register`,
`campaigns.care.care_check_in`); this app writes only its key row, in the same transaction:
either both are saved or neither, and a second request with the same key (a resend after a
lost answer, or two sends racing) finds the row and gets the first result back. The unique
constraint (user, key) decides a race: the loser's savepoint rolls back with its lead, and it
answers with the winner's id."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.campaigns.care import care_check_in
from maeul.discovery.models import Lead
from maeul.discovery.services import lead_register
from maeul.errors import DomainError, PermissionDenied
from maeul.offline.models import OfflineSubmission
from maeul.offline.selectors import submission_of
from maeul.people.models import Household

#: How far back a care visit written offline may be dated (older ones go to the hub by phone).
VISIT_MAX_AGE = dt.timedelta(days=7)
#: Phones' clocks drift: a time this far ahead of the server's is taken as "now".
CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Submitted:
    result_id: int
    created: bool  # False: the key was already used, this is the first result again


def _digest(kind: str, content: dict) -> str:
    text = json.dumps([kind, content], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(*, actor: User, key: uuid.UUID, kind: str, digest: str) -> Submitted | None:
    found = submission_of(user=actor, key=key)
    if found is None:
        return None
    if found.kind != kind or found.digest != digest:
        raise DomainError(
            "key_reused",
            _("This item's key was already used for something else; it was not sent again."),
            field="key",
        )
    return Submitted(result_id=found.result_id, created=False)


def _once(
    *,
    actor: User,
    key: uuid.UUID,
    kind: str,
    content: dict,
    written_at: dt.datetime | None,
    write,
) -> Submitted:
    """Run `write` (which returns the new row's id) once per (actor, key)."""
    digest = _digest(kind, content)
    found = _replay(actor=actor, key=key, kind=kind, digest=digest)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            claim = OfflineSubmission.objects.create(
                user=actor,
                key=key,
                kind=kind,
                result_id=0,
                digest=digest,
                written_at=written_at,
                received_at=timezone.now(),
            )
            claim.result_id = write()
            claim.save(update_fields=["result_id"])
    except IntegrityError:
        # Another request with this key committed first (or the write itself broke a
        # constraint, in which case there is no row to replay and the error stands).
        found = _replay(actor=actor, key=key, kind=kind, digest=digest)
        if found is None:
            raise
        return found
    return Submitted(result_id=claim.result_id, created=True)


def report_submit(
    *,
    actor: User,
    key: uuid.UUID,
    dong: Area,
    address: str,
    subject_name: str,
    description: str,
    urgency: str,
    written_at: dt.datetime | None = None,
) -> Submitted:
    """A volunteer's (or partner contact's) report of a household in crisis, from the phone."""
    if not (actor.is_volunteer or actor.is_partner):
        raise PermissionDenied(_("The phone app is for safety-net volunteers and partners."))
    content = {
        "dong": dong.pk,
        "address": address,
        "subject_name": subject_name,
        "description": description,
        "urgency": urgency,
    }

    def write() -> int:
        lead = lead_register(
            actor=actor,
            source=Lead.Source.PARTNER if actor.is_partner else Lead.Source.VOLUNTEER,
            dong=dong,
            address=address,
            subject_name=subject_name,
            description=description,
            urgency=urgency,
            reporter_name=actor.label,
            reporter_phone=actor.phone,
            partner=actor.partner if actor.is_partner else None,
        )
        return lead.pk

    return _once(
        actor=actor,
        key=key,
        kind=OfflineSubmission.Kind.REPORT,
        content=content,
        written_at=written_at,
        write=write,
    )


def visit_time(*, visited_at: dt.datetime | None, now: dt.datetime | None = None) -> dt.datetime:
    """When a care visit written offline happened: the phone's time, unless it lies ahead
    (a drifting clock: now) or is more than a week old (refused)."""
    now = now or timezone.now()
    if visited_at is None or visited_at > now:
        if visited_at is not None and visited_at > now + CLOCK_SKEW:
            raise DomainError(
                "visited_in_future",
                _("The visit's time is in the future; check the phone's clock."),
                field="visited_at",
            )
        return now
    if now - visited_at > VISIT_MAX_AGE:
        raise DomainError(
            "visit_too_old",
            _("This visit is more than a week old; tell the welfare hub about it instead."),
            field="visited_at",
        )
    return visited_at


def care_visit_submit(
    *,
    actor: User,
    key: uuid.UUID,
    household: Household,
    notes: str,
    visited_at: dt.datetime | None = None,
) -> Submitted:
    """A care visit to one of the volunteer's own care households, recorded on the phone: the
    person was met; the silence chain starts over from the time of the visit."""
    when = visit_time(visited_at=visited_at)
    content = {"household": household.pk, "notes": notes, "visited_at": visited_at}

    def write() -> int:
        visit = care_check_in(actor=actor, household=household, notes=notes, now=when)
        return visit.pk

    return _once(
        actor=actor,
        key=key,
        kind=OfflineSubmission.Kind.CARE_VISIT,
        content=content,
        written_at=visited_at,
        write=write,
    )
