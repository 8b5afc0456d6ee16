"""A council's members: added, edited and their term ended by hub staff of the council's
area. Ending a term keeps the record (meetings attended, survey answers stay theirs); from the
day after, the member no longer counts in a new survey round's population nor is offered in
attendance lists."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from maeul.accounts.models import Role, User
from maeul.councils.models import Council, Member, ParticipantType
from maeul.councils.services.guards import _require_manager
from maeul.errors import DomainError, NotFound


def member_accounts(council: Council, member: Member | None = None) -> list[User]:
    """Accounts that may be linked to a member of the council: council-member accounts of the
    council's area (a dong, or a dong of the gu for the gu's council) not linked to another
    member."""
    area = council.area
    accounts = User.objects.filter(role=Role.CSSC_MEMBER, is_active=True).filter(
        Q(home_area=area) | Q(home_area__parent=area)
    )
    taken = Member.objects.filter(user__isnull=False)
    if member is not None:
        taken = taken.exclude(pk=member.pk)
    return list(accounts.exclude(pk__in=taken.values("user_id")).order_by("full_name", "pk"))


def _check(
    *,
    participant_type: str,
    affiliations: list[str],
    position: str,
    sex: str,
    age_band: str,
    term_start: dt.date,
    term_end: dt.date,
) -> None:
    if participant_type not in ParticipantType.values:
        raise DomainError("bad_type", _("Choose a participant type."), field="participant_type")
    if any(a not in ParticipantType.values for a in affiliations):
        raise DomainError("bad_affiliation", _("Unknown affiliation."), field="affiliations")
    if position not in Member.Position.values:
        raise DomainError("bad_position", _("Choose a position."), field="position")
    if sex not in Member.Sex.values:
        raise DomainError("bad_sex", _("Choose the member's sex."), field="sex")
    if age_band not in Member.AgeBand.values:
        raise DomainError("bad_age_band", _("Choose an age band."), field="age_band")
    if term_end < term_start:
        raise DomainError("bad_term", _("The term ends before it starts."), field="term_end")


@transaction.atomic
def member_add(
    *,
    actor: User,
    council: Council,
    name: str,
    participant_type: str,
    sex: str,
    age_band: str,
    term_start: dt.date,
    term_end: dt.date,
    position: str = Member.Position.GENERAL,
    affiliations: list[str] | None = None,
    teams_led: list[str] | None = None,
) -> Member:
    _require_manager(actor, council)
    if term_end < term_start:
        raise DomainError("bad_term", _("The term ends before it starts."), field="term_end")
    member = Member(
        council=council,
        name=name.strip(),
        participant_type=participant_type,
        sex=sex,
        age_band=age_band,
        term_start=term_start,
        term_end=term_end,
        position=position,
        affiliations=affiliations or [participant_type],
        teams_led=teams_led or [],
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: Member,
    name: str,
    participant_type: str,
    sex: str,
    age_band: str,
    term_start: dt.date,
    term_end: dt.date,
    position: str,
    affiliations: list[str],
    teams_led: list[str],
    user: User | None = None,
) -> Member:
    """Edit a member; `user` links her council-member account (None unlinks it)."""
    _require_manager(actor, member.council)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not name.strip():
        raise DomainError("name_required", _("Give the member's name."), field="name")
    _check(
        participant_type=participant_type,
        affiliations=affiliations,
        position=position,
        sex=sex,
        age_band=age_band,
        term_start=term_start,
        term_end=term_end,
    )
    if user is not None and user.pk not in {u.pk for u in member_accounts(member.council, member)}:
        raise DomainError(
            "bad_account",
            _("This account is not a free council-member account of this council's area."),
            field="user",
        )
    member.name = name.strip()[:40]
    member.participant_type = participant_type
    member.affiliations = list(dict.fromkeys(affiliations)) or [participant_type]
    member.position = position
    member.sex = sex
    member.age_band = age_band
    member.term_start = term_start
    member.term_end = term_end
    member.teams_led = [t.strip() for t in teams_led if t.strip()]
    member.user = user
    member.save()
    return member


@transaction.atomic
def member_term_end(*, actor: User, member: Member, ended_on: dt.date) -> Member:
    """End a member's term on `ended_on` (her last day): the record stays; she is not counted
    in survey rounds opened after that day nor offered for meetings held after it."""
    _require_manager(actor, member.council)
    locked = Member.objects.select_for_update().filter(pk=member.pk).first()
    if locked is None:
        raise NotFound()
    member = locked
    if ended_on < member.term_start:
        raise DomainError("bad_term", _("The term cannot end before it starts."), field="ended_on")
    if ended_on > member.term_end:
        raise DomainError(
            "term_later",
            _("The term already ends on %(d)s; edit the member to extend it.")
            % {"d": member.term_end.isoformat()},
            field="ended_on",
        )
    member.term_end = ended_on
    member.save(update_fields=["term_end"])
    return member
