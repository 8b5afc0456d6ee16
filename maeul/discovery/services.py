"""Writes on leads: register (matched to a known household or registering a new one), assign,
close, and the import of a high-risk list. Each runs in one transaction and writes the
timeline events the indicators count."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.discovery.deadlines import due_at_for
from maeul.discovery.matching import household_match
from maeul.discovery.models import CrisisSignal, Lead, LeadUpload
from maeul.discovery.notify import lead_acknowledge, lead_closed_notice
from maeul.discovery.upload import upload_import
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.identity import normalise_rrn
from maeul.people.models import TimelineEvent
from maeul.people.selectors import dong_ids_of
from maeul.people.services import event_record, household_register
from maeul.resources.models import PartnerInstitution

logger = logging.getLogger(__name__)


def _check_choices(*, urgency: str, source: str, crisis_signals: Iterable[str]) -> list[str]:
    if urgency not in Lead.Urgency.values:
        raise DomainError("invalid_urgency", _("Choose a valid urgency."), field="urgency")
    if source not in Lead.Source.values:
        raise DomainError("invalid_source", _("Choose a valid source."), field="source")
    signals = list(dict.fromkeys(crisis_signals))
    unknown = [s for s in signals if s not in CrisisSignal.values]
    if unknown:
        raise DomainError(
            "invalid_crisis_signal",
            _("Unknown crisis signal: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="crisis_signals",
        )
    return signals


def _check_reporter(*, actor: User | None, source: str, dong: Area) -> None:
    """Hub staff register leads for the dongs they work in; volunteers and partner contacts
    report in any dong of the district; residents ask without an account."""
    if dong.level != Area.Level.DONG:
        raise DomainError("invalid_area", _("Choose an eup/myeon/dong."), field="dong")
    if actor is None or not actor.is_authenticated:
        if source != Lead.Source.RESIDENT:
            raise PermissionDenied(_("Only residents may ask for help without signing in."))
        return
    if actor.is_hub_staff:
        if dong.pk not in dong_ids_of(actor):
            raise DomainError(
                "dong_out_of_scope",
                _("You may register leads only for your own dong."),
                field="dong",
            )
        return
    if actor.is_volunteer or actor.is_partner:
        if source not in (Lead.Source.VOLUNTEER, Lead.Source.PARTNER):
            raise PermissionDenied(_("You may only report a household."))
        return
    raise PermissionDenied(_("You may not register leads."))


def assignee_allowed(*, lead: Lead, assignee: User) -> bool:
    """The hub staff of the lead's dong, or the gu team of its gu (seed 003)."""
    if not assignee.is_active or not assignee.is_hub_staff or assignee.home_area_id is None:
        return False
    if assignee.is_dong_staff:
        return assignee.home_area_id == lead.dong_id
    return assignee.home_area_id == lead.dong.parent_id


def _check_assignee(*, lead: Lead, assignee: User) -> None:
    if not assignee_allowed(lead=lead, assignee=assignee):
        raise DomainError(
            "invalid_assignee",
            _("A lead can be assigned only to hub staff of its dong or to the gu team."),
            field="assignee",
        )


def _check_actor_scope(*, actor: User, lead: Lead) -> None:
    if not actor.is_authenticated or not actor.is_hub_staff:
        raise PermissionDenied(_("Only hub staff may do this."))
    if lead.dong_id not in dong_ids_of(actor):
        raise NotFound()


@transaction.atomic
def lead_register(
    *,
    actor: User | None,
    source: str,
    dong: Area,
    address: str,
    subject_name: str = "",
    subject_birth_date: dt.date | None = None,
    subject_rrn: str | None = None,
    description: str = "",
    urgency: str = Lead.Urgency.NORMAL,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_relation: str = "",
    partner: PartnerInstitution | None = None,
    crisis_signals: Iterable[str] = (),
    assignee: User | None = None,
    upload: LeadUpload | None = None,
) -> Lead:
    """Register a lead. It joins the household the gu already knows (by registration number,
    else by name, birth date and address) or registers a new household, so that the same
    person is never counted twice (DOMAIN.md, core loop 1)."""
    signals = _check_choices(urgency=urgency, source=source, crisis_signals=crisis_signals)
    _check_reporter(actor=actor, source=source, dong=dong)
    address = address.strip()
    subject_name = subject_name.strip()
    if not address:
        raise DomainError("address_required", _("The address is required."), field="address")
    if not subject_name:
        raise DomainError(
            "name_required", _("The name of the person is required."), field="subject_name"
        )
    if reporter_relation and reporter_relation not in Lead.Relation.values:
        raise DomainError(
            "invalid_relation", _("Choose a valid relation."), field="reporter_relation"
        )
    rrn = None
    if subject_rrn and subject_rrn.strip():
        rrn = normalise_rrn(subject_rrn)
        if rrn is None:
            raise DomainError(
                "invalid_rrn",
                _("The registration number must look like 900101-1234567."),
                field="subject_rrn",
            )
    now = timezone.now()
    household, match = household_match(
        dong=dong, rrn=rrn, name=subject_name, birth_date=subject_birth_date, address=address
    )
    if household is None:
        household = household_register(
            actor=actor,
            dong=dong,
            address=address,
            head_name=subject_name,
            head_birth_date=subject_birth_date,
            head_rrn=rrn,
            occurred_at=now,
        )
    actor_user = actor if actor is not None and actor.is_authenticated else None
    if partner is None and actor_user is not None and actor_user.is_partner:
        partner = actor_user.partner
    lead = Lead.objects.create(
        dong=dong,
        household=household,
        source=source,
        urgency=urgency,
        status=Lead.Status.NEW,
        match=match,
        reported_by=actor_user,
        partner=partner,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_relation=reporter_relation,
        subject_name=subject_name,
        address=address,
        description=description.strip(),
        crisis_signals=signals,
        due_at=due_at_for(urgency=urgency, registered_at=now),
        created_at=now,
        upload=upload,
    )
    if match != Lead.Match.NEW:
        event_record(
            kind=TimelineEvent.Kind.LEAD_MATCHED,
            dong_id=household.dong_id,
            household=household,
            actor=actor_user,
            subject=lead,
            summary=lead.get_match_display(),
            occurred_at=now,
        )
    event_record(
        kind=TimelineEvent.Kind.LEAD_REGISTERED,
        dong_id=dong.pk,
        household=household,
        actor=actor_user,
        subject=lead,
        summary=lead.get_source_display(),
        occurred_at=now,
    )
    if assignee is not None:
        _check_assignee(lead=lead, assignee=assignee)
        _assign(actor=actor_user, lead=lead, assignee=assignee)
    transaction.on_commit(lambda: _tell(lead_acknowledge, lead))
    return lead


def _tell(notice, lead: Lead) -> None:
    """Tell the reporter, once the lead is saved (discovery.notify: only volunteers', partners'
    and residents' reports, never the household's details). A message the outbox refuses is
    logged, never an error for the person who just reported."""
    try:
        notice(lead)
    except DomainError as error:
        logger.warning("lead %s: reporter not told (%s)", lead.pk, error.code)


def _assign(*, actor: User | None, lead: Lead, assignee: User) -> None:
    lead.assignee = assignee
    if lead.status == Lead.Status.NEW:
        lead.status = Lead.Status.ASSIGNED
    lead.save(update_fields=["assignee", "status"])
    event_record(
        kind=TimelineEvent.Kind.LEAD_ASSIGNED,
        dong_id=lead.dong_id,
        household=lead.household,
        actor=actor,
        subject=lead,
        summary=assignee.label,
    )


@transaction.atomic
def lead_assign(*, actor: User, lead: Lead, assignee: User) -> Lead:
    """Give an open lead to a member of the dong's team or the gu team."""
    _check_actor_scope(actor=actor, lead=lead)
    if not lead.is_open:
        raise DomainError("lead_closed", _("This lead is closed."))
    _check_assignee(lead=lead, assignee=assignee)
    _assign(actor=actor, lead=lead, assignee=assignee)
    return lead


@transaction.atomic
def lead_close(*, actor: User, lead: Lead, reason: str) -> Lead:
    """Close a lead with a reason (e.g. already served, not in need, moved away)."""
    _check_actor_scope(actor=actor, lead=lead)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("Give a reason for closing."), field="reason")
    if lead.status == Lead.Status.CLOSED:
        raise DomainError("lead_closed", _("This lead is already closed."))
    lead.status = Lead.Status.CLOSED
    lead.closed_at = timezone.now()
    lead.close_reason = reason[:200]
    lead.save(update_fields=["status", "closed_at", "close_reason"])
    event_record(
        kind=TimelineEvent.Kind.LEAD_CLOSED,
        dong_id=lead.dong_id,
        household=lead.household,
        actor=actor,
        subject=lead,
        summary=lead.close_reason,
        occurred_at=lead.closed_at,
    )
    transaction.on_commit(lambda: _tell(lead_closed_notice, lead))
    return lead


def lead_upload_import(*, actor: User, file, filename: str) -> LeadUpload:
    """Import a high-risk list (CSV or XLSX): the whole file is checked first and a file with
    any bad row saves nothing. See docs/high-risk-list.md."""
    return upload_import(actor=actor, file=file, filename=filename)


# --- state changes that other apps' work causes ------------------------------------------
# `discovery` is the one writer of a lead's state: planning a visit and recording an
# assessment move the household's open leads forward through these.


def lead_visit_planned(*, lead: Lead) -> None:
    """A visit was planned for the lead: a new or assigned lead waits for that visit."""
    if lead.status in (Lead.Status.NEW, Lead.Status.ASSIGNED):
        Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.VISIT_PLANNED)
        lead.status = Lead.Status.VISIT_PLANNED


def leads_assessed(*, household_id: int) -> int:
    """The household's needs were assessed: each open lead about it has been answered."""
    return Lead.objects.filter(household_id=household_id, status__in=Lead.OPEN_STATUSES).update(
        status=Lead.Status.ASSESSED
    )


def leads_erase_text(*, household_id: int, address: str) -> None:
    """Retention (PIPA art. 21): the free text of the household's leads goes, the address is
    reduced to `address` (its dong); source, urgency, status and times stay for the
    indicators."""
    Lead.objects.filter(household_id=household_id).update(
        reporter_name="",
        reporter_phone="",
        subject_name="",
        address=address,
        description="",
        close_reason="",
    )
