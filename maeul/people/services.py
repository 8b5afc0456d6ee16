"""Writes on households. Each service runs in one transaction and records the timeline event
that the indicators count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.errors import DomainError, NotFound
from maeul.people.coverage import coverage_refresh
from maeul.people.identity import blind_index, encrypt, normalise_rrn
from maeul.people.models import BenefitReceipt, Consent, Household, Resident, TimelineEvent
from maeul.text import normalise_address, normalise_name


def event_record(
    *,
    kind: str,
    dong_id: int,
    household: Household | None = None,
    actor: User | None = None,
    subject: object | None = None,
    amount: int | None = None,
    summary: str = "",
    occurred_at: dt.datetime | None = None,
) -> TimelineEvent:
    """Append one event to a household's timeline (or the dong's, for household-less events)."""
    return TimelineEvent.objects.create(
        kind=kind,
        dong_id=dong_id,
        household=household,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "pk", None),
        amount=amount,
        summary=summary[:300],
        occurred_at=occurred_at or timezone.now(),
    )


def resident_fill(resident: Resident, *, rrn: str | None = None) -> Resident:
    """Set derived fields (name key, encrypted RRN and its blind index) before saving."""
    resident.name_key = normalise_name(resident.name)
    if rrn:
        normal = normalise_rrn(rrn)
        if normal is None:
            raise DomainError(
                "invalid_rrn",
                _("The registration number must look like 900101-1234567."),
                field="rrn",
            )
        resident.rrn_encrypted = encrypt(normal)
        resident.rrn_index = blind_index(normal)
    return resident


@transaction.atomic
def household_register(
    *,
    actor: User | None,
    dong: Area,
    address: str,
    head_name: str,
    address_detail: str = "",
    head_birth_date: dt.date | None = None,
    head_sex: str = "",
    head_rrn: str | None = None,
    phone: str = "",
    tong: Area | None = None,
    lat: float | None = None,
    lon: float | None = None,
    occurred_at: dt.datetime | None = None,
) -> Household:
    """Register a household newly known to the hub, with its head as first member."""
    if dong.level != Area.Level.DONG:
        raise DomainError("invalid_area", _("A household belongs to an eup/myeon/dong."))
    if not address.strip():
        raise DomainError("address_required", _("The address is required."), field="address")
    if not head_name.strip():
        raise DomainError("name_required", _("The name is required."), field="name")
    household = Household.objects.create(
        dong=dong,
        tong=tong,
        address=address.strip(),
        address_detail=address_detail.strip(),
        address_key=normalise_address(f"{address} {address_detail}"),
        phone=phone,
        lat=lat if lat is not None else dong.lat,
        lon=lon if lon is not None else dong.lon,
    )
    head = Resident(
        household=household,
        name=head_name.strip(),
        birth_date=head_birth_date,
        sex=head_sex,
        phone=phone,
        relation=Resident.Relation.HEAD,
    )
    resident_fill(head, rrn=head_rrn)
    head.save()
    event_record(
        kind=TimelineEvent.Kind.HOUSEHOLD_REGISTERED,
        dong_id=dong.pk,
        household=household,
        actor=actor,
        subject=household,
        summary=str(household),
        occurred_at=occurred_at,
    )
    return household


@transaction.atomic
def benefit_start(
    *,
    actor: User | None,
    household: Household,
    programme: str,
    started_on: dt.date,
    resident: Resident | None = None,
    monthly_amount: int | None = None,
) -> BenefitReceipt:
    receipt = BenefitReceipt.objects.create(
        household=household,
        resident=resident,
        programme=programme,
        started_on=started_on,
        monthly_amount=monthly_amount,
    )
    coverage_refresh(household_ids=[household.pk, resident.household_id if resident else None])
    event_record(
        kind=TimelineEvent.Kind.BENEFIT_STARTED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=receipt,
        amount=monthly_amount,
        summary=receipt.get_programme_display(),
    )
    return receipt


@transaction.atomic
def benefit_end(
    *, actor: User | None, receipt: BenefitReceipt, ended_on: dt.date
) -> BenefitReceipt:
    """Record the day a benefit ended (an import from the national system, a stop)."""
    if ended_on < receipt.started_on:
        raise DomainError(
            "invalid_end", _("A benefit cannot end before it starts."), field="ended_on"
        )
    receipt.ended_on = ended_on
    receipt.save(update_fields=["ended_on"])
    resident = receipt.resident
    coverage_refresh(
        household_ids=[receipt.household_id, resident.household_id if resident else None]
    )
    event_record(
        kind=TimelineEvent.Kind.BENEFIT_ENDED,
        dong_id=receipt.household.dong_id,
        household=receipt.household,
        actor=actor,
        subject=receipt,
        summary=receipt.get_programme_display(),
        occurred_at=timezone.make_aware(dt.datetime.combine(ended_on, dt.time(12))),
    )
    return receipt


@transaction.atomic
def care_volunteer_assign(*, actor: User, household: Household, volunteer: User) -> None:
    """Give a household to a safety-net volunteer for care visits (she then sees it)."""
    _require_staff_in_scope(actor, household)
    if not (volunteer.is_active and volunteer.is_volunteer):
        raise DomainError(
            "invalid_volunteer",
            _("Care households go to safety-net volunteers."),
            field="volunteer",
        )
    household.care_volunteers.add(volunteer)


@transaction.atomic
def care_volunteer_release(*, actor: User, household: Household, volunteer: User) -> None:
    """A volunteer no longer looks after the household (she leaves, or hands it over)."""
    _require_staff_in_scope(actor, household)
    household.care_volunteers.remove(volunteer)


def _require_staff_in_scope(actor: User, household: Household) -> None:
    """Consents are recorded by hub staff who may see the household; anyone else gets 404."""
    from maeul.people.selectors import household_require_visible

    if not (actor.is_authenticated and actor.is_hub_staff):
        raise NotFound()
    household_require_visible(user=actor, household=household)


def _scope_labels(scopes: Iterable[str]) -> str:
    return ", ".join(str(Consent.Scope(s).label) for s in scopes)


@transaction.atomic
def consent_record(
    *,
    actor: User,
    household: Household,
    purpose: str,
    scopes: Iterable[str],
    given_on: dt.date,
    resident: Resident | None = None,
    occurred_at: dt.datetime | None = None,
) -> Consent:
    """Record a consent to the collection and use of personal information with its purpose
    and scopes (PIPA art. 15, 17 for provision to partners, 23 for sensitive data). Scope
    "referral" lets the partners a household is referred to see it; "council" lets the CSSC
    review its case. The timeline event is stamped now, or at `occurred_at` (a consent
    recorded after the fact, or a history built for the demo), never in the future."""
    _require_staff_in_scope(actor, household)
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(
            "purpose_required", _("Say what the consent is for (its purpose)."), field="purpose"
        )
    clean = list(dict.fromkeys(scopes or ()))
    if not clean:
        raise DomainError("scope_required", _("Choose at least one scope."), field="scopes")
    if any(s not in Consent.Scope.values for s in clean):
        raise DomainError("invalid_scope", _("Unknown consent scope."), field="scopes")
    if given_on > timezone.localdate():
        raise DomainError(
            "invalid_consent_date", _("The consent date cannot be in the future."), field="given_on"
        )
    if occurred_at is not None and occurred_at > timezone.now():
        raise DomainError(
            "invalid_consent_date", _("The consent date cannot be in the future."), field="given_on"
        )
    if resident is not None and resident.household_id != household.pk:
        raise DomainError(
            "invalid_resident", _("The person is not a member of this household."), field="resident"
        )
    consent = Consent.objects.create(
        household=household,
        resident=resident,
        purpose=purpose[:200],
        scopes=clean,
        given_on=given_on,
        recorded_by=actor,
    )
    event_record(
        kind=TimelineEvent.Kind.CONSENT_GIVEN,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=consent,
        summary=_scope_labels(clean),
        occurred_at=occurred_at,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, on: dt.date | None = None) -> Consent:
    """Withdraw a consent (PIPA art. 37). It takes effect at once: from the next request on,
    partners no longer see a referral and the council no longer sees a case the consent
    covered (`households_visible_to`, `household_consents_to`)."""
    household = consent.household
    _require_staff_in_scope(actor, household)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise DomainError(
            "consent_already_withdrawn", _("This consent has already been withdrawn.")
        )
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise DomainError(
            "invalid_withdrawal_date",
            _("The withdrawal date cannot be in the future."),
            field="on",
        )
    if on < consent.given_on:
        raise DomainError(
            "invalid_withdrawal_date",
            _("A consent cannot be withdrawn before it was given."),
            field="on",
        )
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    event_record(
        kind=TimelineEvent.Kind.CONSENT_WITHDRAWN,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=consent,
        summary=_scope_labels(consent.scopes),
    )
    return consent


#: What an anonymised member's name becomes ("anonymous"): stored data, shown as is.
ANONYMISED_NAME = "익명"


@transaction.atomic
def household_anonymise(*, household: Household, at: dt.datetime | None = None) -> Household | None:
    """Remove the personal data that `people` keeps about a household after the retention
    period (PIPA art. 21), keeping every row the indicators count (timeline events with their
    kind, dong, time and amount; benefit intervals; members with sex, relation and disability
    grade; the household's dong). What goes: names (a placeholder), registration number
    ciphertext and blind index, phones, birth dates (reduced to the year), address (reduced to
    the dong), tong/ban, coordinates (the dong's), care, health, disability and violence notes,
    care volunteers and the timeline's summaries. The other apps erase their own free text
    about the household (`maeul.hub.retention.household_retire` asks each). Returns None when
    the household was anonymised before (nothing to do)."""
    household = Household.objects.select_for_update().select_related("dong").get(pk=household.pk)
    if household.anonymised_at is not None:
        return None
    dong = household.dong
    for resident in household.members.all():
        resident.name = ANONYMISED_NAME
        resident.name_key = normalise_name(ANONYMISED_NAME)
        resident.phone = ""
        resident.rrn_encrypted = ""
        resident.rrn_index = ""
        if resident.birth_date is not None:
            resident.birth_date = resident.birth_date.replace(month=1, day=1)
        resident.health_notes = ""
        resident.disability_detail = ""
        resident.save()
    household.address = dong.name
    household.address_detail = ""
    household.address_key = normalise_address(dong.name)
    household.tong = None
    household.ban = None
    household.lat = dong.lat
    household.lon = dong.lon
    household.phone = ""
    household.care_notes = ""
    household.violence_notes = ""
    household.anonymised_at = at or timezone.now()
    household.save()
    household.care_volunteers.clear()

    TimelineEvent.objects.filter(household=household).update(summary="")
    return household


@transaction.atomic
def sensitive_notes_update(
    *,
    actor: User,
    household: Household,
    violence_notes: str | None = None,
    resident_id: int | None = None,
    health_notes: str | None = None,
    disability_detail: str | None = None,
) -> Household:
    """Record sensitive notes, each only by a role the policy lets write that kind of data
    (health: visiting nurse; violence notes: welfare officials and the gu team; disability:
    the dong team). None leaves a note unchanged. Stored encrypted (EncryptedTextField)."""
    from maeul.people.policy import DataKind, may_write

    def require(kind: DataKind) -> None:
        if not may_write(actor, kind, household):
            raise DomainError(
                "not_allowed", _("Your role may not record this kind of note."), field=kind.value
            )

    if violence_notes is not None and violence_notes != household.violence_notes:
        require(DataKind.VIOLENCE_NOTES)
        household.violence_notes = violence_notes.strip()
        household.save(update_fields=["violence_notes", "updated_at"])
    if resident_id is not None:
        resident = household.members.filter(pk=resident_id).first()
        if resident is None:
            raise DomainError(
                "unknown_member", _("Choose a member of this household."), field="resident"
            )
        changed = []
        if health_notes is not None and health_notes != resident.health_notes:
            require(DataKind.HEALTH)
            resident.health_notes = health_notes.strip()
            changed.append("health_notes")
        if disability_detail is not None and disability_detail != resident.disability_detail:
            require(DataKind.DISABILITY)
            resident.disability_detail = disability_detail.strip()
            changed.append("disability_detail")
        if changed:
            resident.save(update_fields=changed)
    return household
