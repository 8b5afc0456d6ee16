"""Who may read and write which kind of personal data: the permission model as data.

Rows (which households) are decided by `maeul.people.selectors.households_visible_to`; this
module decides the *fields* of a household a role may read (field minimisation, PIPA art. 3
and 23; DOMAIN.md "Who uses it"; docs/security.md holds the same matrix as a table, generated
from `MATRIX` by `matrix_markdown()`). Views and the API ask `may_read` / `visible_fields`;
they never test roles themselves.

Reach, from narrowest to widest:
- ``none``: never.
- ``consented``: only a household with an active consent of the matching scope (the CSSC
  sees a case brought to the council with consent scope "council").
- ``assigned``: only households assigned to the user (a volunteer's care households and the
  leads they reported; a partner's referrals with an active "referral" consent).
- ``dong``: households of the user's own dong.
- ``gu``: households of the whole gu.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from maeul.accounts.models import Role, User
from maeul.people.models import Household


class Reach(IntEnum):
    NONE = 0
    CONSENTED = 1
    ASSIGNED = 2
    DONG = 3
    GU = 4


class DataKind(StrEnum):
    IDENTITY = "identity"  # names, birth dates, sex, relation (RRN only masked)
    CONTACT = "contact"  # address, phone, coordinates
    HOUSEHOLD = "household"  # members count, housing, vulnerable groups, care notes
    HEALTH = "health"  # health notes of members (visiting nurse)
    DISABILITY = "disability"  # disability grade and details
    INCOME_ASSETS = "income_assets"  # benefits received, amounts
    CASE_NOTES = "case_notes"  # timeline, assessments, case plans, conferences
    VIOLENCE_NOTES = "violence_notes"  # domestic violence / abuse notes
    AUDIT = "audit"  # the audit trail of reads


#: The CSSC member role does not exist yet (the councils app will add it); its row is here so
#: that the rule is written down and enforced the day the role appears.
CSSC_MEMBER = "cssc_member"


@dataclass(frozen=True)
class Access:
    read: Reach
    write: Reach


N, C, A, D, G = Reach.NONE, Reach.CONSENTED, Reach.ASSIGNED, Reach.DONG, Reach.GU


def _row(**kinds: tuple[Reach, Reach]) -> dict[DataKind, Access]:
    row = {kind: Access(N, N) for kind in DataKind}
    for name, (read, write) in kinds.items():
        row[DataKind(name)] = Access(read, write)
    return row


_DONG_TEAM = dict(
    identity=(D, D),
    contact=(D, D),
    household=(D, D),
    disability=(D, D),
    income_assets=(D, D),
    case_notes=(D, D),
)

#: role × data kind → (read, write) reach. The one place the rule is written.
MATRIX: dict[str, dict[DataKind, Access]] = {
    Role.WELFARE_OFFICIAL: _row(**_DONG_TEAM, violence_notes=(D, D)),
    Role.WELFARE_MANAGER: _row(**_DONG_TEAM, violence_notes=(D, D), health=(D, N)),
    Role.CASE_MANAGER: _row(**_DONG_TEAM, violence_notes=(D, D), health=(D, N)),
    Role.VISITING_NURSE: _row(**_DONG_TEAM, health=(D, D)),
    Role.VOCATIONAL_COUNSELLOR: _row(**{**_DONG_TEAM, "disability": (D, N)}),
    Role.GU_TEAM: _row(
        identity=(G, G),
        contact=(G, G),
        household=(G, G),
        health=(G, N),
        disability=(G, G),
        income_assets=(G, G),
        case_notes=(G, G),
        violence_notes=(G, G),
    ),
    # System administrators supervise: they read the audit trail and what a record is, not its
    # sensitive contents.
    Role.ADMINISTRATOR: _row(
        identity=(G, N),
        contact=(G, N),
        household=(G, N),
        income_assets=(G, N),
        audit=(G, N),
    ),
    # A volunteer gets name, address and care notes of the households assigned to them.
    Role.VOLUNTEER: _row(identity=(A, N), contact=(A, N), household=(A, N)),
    # A partner gets the referral: whom to serve and where.
    Role.PARTNER: _row(identity=(A, N), contact=(A, N)),
    # CSSC members: nothing personal unless the household consented to the council review.
    CSSC_MEMBER: _row(identity=(C, N), household=(C, N), case_notes=(C, N)),
    # The head of the dong (동장) heads the dong's centre, supervises its welfare team and
    # visits households (regular visits, joint visits with the team):
    # the team's data of their own dong, to read and to record visits, but not the nurse's
    # health notes nor the notes on violence and abuse, which stay with those who handle
    # the case (need to know, PIPA art. 3).
    Role.DONG_HEAD: _row(**_DONG_TEAM),
}

#: The fields of the household record (API detail and rows) that each kind of data covers.
FIELDS: dict[DataKind, frozenset[str]] = {
    DataKind.IDENTITY: frozenset({"head_name", "member_list"}),
    DataKind.CONTACT: frozenset({"address", "address_detail", "phone", "lat", "lon"}),
    DataKind.HOUSEHOLD: frozenset({"members", "housing", "groups", "care_notes"}),
    DataKind.HEALTH: frozenset({"health_notes"}),
    DataKind.DISABILITY: frozenset({"disability", "disability_detail"}),
    DataKind.INCOME_ASSETS: frozenset({"benefits"}),
    DataKind.CASE_NOTES: frozenset({"timeline"}),
    DataKind.VIOLENCE_NOTES: frozenset({"violence_notes"}),
    DataKind.AUDIT: frozenset(),
}

#: Field minimisation below a kind: these roles get only these fields of it.
LIMITS: dict[str, dict[DataKind, frozenset[str]]] = {
    Role.VOLUNTEER: {
        DataKind.IDENTITY: frozenset({"head_name"}),
        DataKind.CONTACT: frozenset({"address", "address_detail"}),
        DataKind.HOUSEHOLD: frozenset({"care_notes"}),
    },
    Role.PARTNER: {
        DataKind.IDENTITY: frozenset({"head_name"}),
        DataKind.CONTACT: frozenset({"address", "address_detail"}),
    },
    CSSC_MEMBER: {
        DataKind.IDENTITY: frozenset({"head_name"}),
        DataKind.HOUSEHOLD: frozenset({"members", "housing", "groups"}),
    },
}

#: Fields every user who may see the row gets: which record it is and where it belongs.
ALWAYS = frozenset({"id", "dong_code", "dong"})


def role_of(user: User) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "role", None)


def access(user: User, kind: DataKind | str) -> Access:
    row = MATRIX.get(role_of(user) or "", None)
    if row is None:
        return Access(N, N)
    return row[DataKind(kind)]


def _within(user: User, reach: Reach, household: Household, *, consent_scope: str) -> bool:
    from maeul.people.selectors import (
        dong_ids_of,
        household_consents_to,
        households_visible_to,
    )

    if reach in (Reach.DONG, Reach.GU):
        return household.dong_id in dong_ids_of(user)
    if reach == Reach.ASSIGNED:
        return households_visible_to(user).filter(pk=household.pk).exists()
    if reach == Reach.CONSENTED:
        return household_consents_to(household, consent_scope)
    return False


def may_read(user: User, kind: DataKind | str, household: Household | None = None) -> bool:
    """Whether the user may read this kind of data (of this household, when given)."""
    reach = access(user, kind).read
    if reach == Reach.NONE:
        return False
    if household is None:
        return True
    return _within(user, reach, household, consent_scope="council")


def may_write(user: User, kind: DataKind | str, household: Household | None = None) -> bool:
    """Whether the user may change this kind of data (of this household, when given)."""
    reach = access(user, kind).write
    if reach == Reach.NONE:
        return False
    if household is None:
        return True
    return _within(user, reach, household, consent_scope="council")


def readable_kinds(user: User) -> set[DataKind]:
    return {kind for kind in DataKind if access(user, kind).read != Reach.NONE}


def visible_fields(user: User, household: Household | None = None) -> set[str]:
    """The fields of a household record the user's role may read. Rows out of the user's reach
    never get here (`households_visible_to`, 404), so the dong/gu/assigned reach is already
    met; with a household, kinds whose reach is `consented` are kept only when that household
    has the consent."""
    role = role_of(user) or ""
    limits = LIMITS.get(role, {})
    fields: set[str] = set()
    consented: bool | None = None
    for kind in readable_kinds(user):
        if household is not None and access(user, kind).read == Reach.CONSENTED:
            if consented is None:
                consented = _within(user, Reach.CONSENTED, household, consent_scope="council")
            if not consented:
                continue
        fields |= limits.get(kind, FIELDS[kind])
    return fields | ALWAYS if fields else set()


def matrix_markdown() -> str:
    """The matrix as a Markdown table (docs/security.md is checked against it by a test)."""
    kinds = list(DataKind)
    lines = [
        "| role | " + " | ".join(k.value for k in kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for role, row in MATRIX.items():
        cells = []
        for kind in kinds:
            rule = row[kind]
            if rule.read == Reach.NONE:
                cells.append("–")
                continue
            cell = rule.read.name.lower()
            cell += " rw" if rule.write != Reach.NONE else " r"
            if kind in LIMITS.get(role, {}):
                cell += " (" + ", ".join(sorted(LIMITS[role][kind])) + ")"
            cells.append(cell)
        lines.append(f"| {role} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
