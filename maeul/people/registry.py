"""Keeping the registry: a household's contact, housing and groups; its members (add, edit,
move to another household); and the merge of two records of one household, audited and
reversible for 30 days. Hub staff only, within their scope; each change is on the timeline.

The merge moves people's own rows; every app above that keeps rows of a household moves its
own through its `merge` module (found through the installed apps, so people imports none of
them), and a merge that would leave a row behind is refused."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.errors import DomainError, NotFound
from maeul.people.coverage import coverage_refresh
from maeul.people.identity import decrypt, encrypt
from maeul.people.models import Household, HouseholdMerge, Resident, TimelineEvent
from maeul.people.selectors import household_require_visible
from maeul.people.services import event_record, resident_fill
from maeul.text import normalise_address

#: How long a merge can be undone (the issue: reversible for 30 days).
MERGE_UNDO_DAYS = 30


def _require_staff(actor: User, *households: Household) -> None:
    if not (actor.is_authenticated and actor.is_hub_staff):
        raise NotFound()
    for household in households:
        household_require_visible(user=actor, household=household)


@transaction.atomic
def household_update(
    *,
    actor: User,
    household: Household,
    address: str,
    address_detail: str = "",
    phone: str = "",
    housing: str = "",
    groups: Iterable[str] = (),
) -> Household:
    """Correct a household's address, contact, housing and vulnerable groups."""
    _require_staff(actor, household)
    if not address.strip():
        raise DomainError("address_required", _("The address is required."), field="address")
    if housing and housing not in Household.Housing.values:
        raise DomainError("invalid_housing", _("Unknown kind of housing."), field="housing")
    clean = list(dict.fromkeys(groups))
    if any(g not in Household.Group.values for g in clean):
        raise DomainError("invalid_group", _("Unknown group."), field="groups")
    household.address = address.strip()
    household.address_detail = address_detail.strip()
    household.address_key = normalise_address(f"{household.address} {household.address_detail}")
    household.phone = phone.strip()
    household.housing = housing
    household.groups = clean
    household.save()
    event_record(
        kind=TimelineEvent.Kind.HOUSEHOLD_UPDATED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=household,
        summary=str(household),
    )
    return household


def _member_fields(
    resident: Resident,
    *,
    name: str,
    birth_date: dt.date | None,
    sex: str,
    relation: str,
    phone: str,
    disability: str,
    rrn: str | None,
) -> Resident:
    if not name.strip():
        raise DomainError("name_required", _("The name is required."), field="name")
    if sex and sex not in Resident.Sex.values:
        raise DomainError("invalid_sex", _("Unknown sex."), field="sex")
    if relation not in Resident.Relation.values:
        raise DomainError("invalid_relation", _("Choose the relation."), field="relation")
    if disability not in Resident.Disability.values:
        raise DomainError("invalid_disability", _("Unknown disability grade."), field="disability")
    if birth_date is not None and birth_date > timezone.localdate():
        raise DomainError(
            "invalid_birth_date", _("The birth date cannot be in the future."), field="birth_date"
        )
    resident.name = name.strip()
    resident.birth_date = birth_date
    resident.sex = sex
    resident.relation = relation
    resident.phone = phone.strip()
    resident.disability = disability
    return resident_fill(resident, rrn=rrn)


@transaction.atomic
def resident_add(
    *,
    actor: User,
    household: Household,
    name: str,
    relation: str,
    birth_date: dt.date | None = None,
    sex: str = "",
    phone: str = "",
    disability: str = "",
    rrn: str | None = None,
) -> Resident:
    _require_staff(actor, household)
    resident = _member_fields(
        Resident(household=household),
        name=name,
        birth_date=birth_date,
        sex=sex,
        relation=relation,
        phone=phone,
        disability=disability,
        rrn=rrn,
    )
    resident.save()
    coverage_refresh(household_ids=[household.pk])  # a household-level benefit covers them
    event_record(
        kind=TimelineEvent.Kind.HOUSEHOLD_UPDATED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=resident,
        summary=resident.name,
    )
    return resident


@transaction.atomic
def resident_update(
    *,
    actor: User,
    resident: Resident,
    name: str,
    relation: str,
    birth_date: dt.date | None = None,
    sex: str = "",
    phone: str = "",
    disability: str = "",
    rrn: str | None = None,
) -> Resident:
    """Correct a member's particulars; a registration number given replaces the stored one,
    none leaves it as it is."""
    household = resident.household
    _require_staff(actor, household)
    _member_fields(
        resident,
        name=name,
        birth_date=birth_date,
        sex=sex,
        relation=relation,
        phone=phone,
        disability=disability,
        rrn=rrn,
    )
    resident.save()
    event_record(
        kind=TimelineEvent.Kind.HOUSEHOLD_UPDATED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=resident,
        summary=resident.name,
    )
    return resident


@transaction.atomic
def resident_move(*, actor: User, resident: Resident, to: Household) -> Resident:
    """Move a member to another household (a move-out, a new household of one's own). A
    household's only member is not moved: merge the two records instead. The member's
    benefits go with them."""
    source = resident.household
    _require_staff(actor, source, to)
    if to.pk == source.pk:
        raise DomainError("same_household", _("The member is already in that household."))
    if source.members.count() == 1:
        raise DomainError(
            "only_member",
            _("This is the household's only member; merge the two records instead."),
        )
    resident.household = to
    if resident.relation == Resident.Relation.HEAD and to.members.exists():
        resident.relation = Resident.Relation.OTHER
    resident.save(update_fields=["household", "relation"])
    resident.benefits.update(household=to)
    coverage_refresh(household_ids=[source.pk, to.pk])
    summary = f"{resident.name}: {source} → {to}"
    for household in (source, to):
        event_record(
            kind=TimelineEvent.Kind.MEMBER_MOVED,
            dong_id=household.dong_id,
            household=household,
            actor=actor,
            subject=resident,
            summary=summary,
        )
    return resident


def _same_household(a: Household, b: Household) -> bool:
    """The identity rules: a member of one with the registration number (blind index) of a
    member of the other, or the same name and birth date, or the same address."""
    if a.address_key and a.address_key == b.address_key:
        return True
    index_a = {m.rrn_index for m in a.members.all() if m.rrn_index}
    if index_a & {m.rrn_index for m in b.members.all() if m.rrn_index}:
        return True
    people_a = {(m.name_key, m.birth_date) for m in a.members.all() if m.birth_date}
    return bool(people_a & {(m.name_key, m.birth_date) for m in b.members.all() if m.birth_date})


def _all_relations() -> list[Any]:
    """Every foreign key (or one-to-one) to a household in every app, those with no reverse
    name included: only read, to check that a merge left nothing behind."""
    fields: list[Any] = list(Household._meta.get_fields(include_hidden=True))
    return [
        f.field
        for f in fields
        if f.auto_created
        and not f.concrete
        and (f.one_to_many or f.one_to_one)
        and not f.related_model._meta.auto_created  # the care volunteers' link table
    ]


def _own_relations() -> list[Any]:
    """The foreign keys of people's own tables to a household (members, benefits received,
    consents, the timeline, earlier merges): people moves these rows itself."""
    return [
        field
        for field in _all_relations()
        if field.model._meta.app_label == Household._meta.app_label
    ]


def app_merges() -> list[ModuleType]:
    """Each app's `merge` module (`move_household(*, source, target) -> dict[str, list[int]]`
    and `undo(*, moved, source, target)`): every app above people that keeps rows of a
    household moves its own (one writer per table); people knows none of them by name, they
    are found through the installed apps (as `check_integrity` finds the `integrity` modules)."""
    modules = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("maeul.") or config.label == Household._meta.app_label:
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.merge"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.merge":
                raise
    return modules


def _label(field: Any) -> str:
    return f"{field.model._meta.label}.{field.name}"


_SNAPSHOT_FIELDS = [
    "dong_id",
    "tong_id",
    "ban_id",
    "address",
    "address_detail",
    "address_key",
    "lat",
    "lon",
    "phone",
    "housing",
    "groups",
    "care_notes",
]


@transaction.atomic
def households_merge(*, actor: User, keep: Household, merge: Household) -> HouseholdMerge:
    """Merge two records of one household: every record of `merge` (members, benefits,
    consents, timeline, leads, visits, cases, linkages, campaign targets …) moves to `keep`,
    its care volunteers join, and the record goes. The merge is kept with what moved, so it
    can be undone within 30 days (`merge_undo`). Two open cases, or any other rule one
    household can hold only once, refuse the merge and nothing moves."""
    _require_staff(actor, keep, merge)
    if keep.pk == merge.pk:
        raise DomainError("same_household", _("Choose two different records."))
    keep = Household.objects.select_for_update().get(pk=keep.pk)
    merge = Household.objects.select_for_update().get(pk=merge.pk)
    if not _same_household(keep, merge):
        raise DomainError(
            "not_same_household",
            _(
                "These records share no member (registration number, or name and birth date) "
                "and no address: they are not one household."
            ),
        )
    snapshot = {name: getattr(merge, name) for name in _SNAPSHOT_FIELDS}
    snapshot["violence_notes"] = encrypt(merge.violence_notes) if merge.violence_notes else ""
    snapshot["created_at"] = merge.created_at.isoformat()
    snapshot["anonymised_at"] = merge.anonymised_at.isoformat() if merge.anonymised_at else None
    moved: dict[str, list[int]] = {}
    # One household has one head (the benefit rules and the household page rely on it): the
    # merged record's head joins as "other" when the kept record has its own.
    keep_has_head = Resident.objects.filter(household=keep, relation=Resident.Relation.HEAD)
    demoted = (
        list(
            Resident.objects.filter(household=merge, relation=Resident.Relation.HEAD).values_list(
                "pk", flat=True
            )
        )
        if keep_has_head.exists()
        else []
    )
    try:
        with transaction.atomic():
            for field in _own_relations():
                rows = field.model._base_manager.filter(**{field.name: merge})
                ids = list(rows.values_list("pk", flat=True))
                if ids:
                    moved[_label(field)] = ids
                    field.model._base_manager.filter(pk__in=ids).update(**{field.name: keep})
            for module in app_merges():
                moved.update(module.move_household(source=merge, target=keep))
    except IntegrityError as exc:
        raise DomainError(
            "merge_conflict",
            _(
                "Both records hold something a household can have only once (an open case, "
                "a place on the same campaign …); settle it first."
            ),
        ) from exc
    left = [
        _label(field)
        for field in _all_relations()
        if field.model._base_manager.filter(**{field.name: merge}).exists()
    ]
    if left:
        # An app keeps rows of households but has no `merge` module: deleting the record
        # would lose (or be refused by) them. A programming error, not the user's.
        raise ImproperlyConfigured(f"no merge module moves {', '.join(left)}")
    if demoted:
        Resident.objects.filter(pk__in=demoted).update(relation=Resident.Relation.OTHER)
        moved["demoted_heads"] = demoted
    volunteers = set(merge.care_volunteers.values_list("pk", flat=True)) - set(
        keep.care_volunteers.values_list("pk", flat=True)
    )
    keep.care_volunteers.add(*volunteers)
    moved["care_volunteers"] = sorted(volunteers)
    record = HouseholdMerge.objects.create(
        kept=keep,
        merged_id=merge.pk,
        snapshot=snapshot,
        moved=moved,
        merged_by=actor,
        merged_at=timezone.now(),
    )
    merge.care_volunteers.clear()
    Household.objects.filter(pk=merge.pk).delete()
    coverage_refresh(household_ids=[keep.pk, merge.pk])
    event_record(
        kind=TimelineEvent.Kind.HOUSEHOLD_MERGED,
        dong_id=keep.dong_id,
        household=keep,
        actor=actor,
        subject=record,
        summary=f"#{snapshot['address']} {snapshot['address_detail']} → {keep}"[:300],
    )
    return record


@transaction.atomic
def merge_undo(*, actor: User, merge: HouseholdMerge) -> Household:
    """Undo a merge within 30 days: the merged record comes back with its own id and every
    record that moved goes back (records made since stay with the kept household)."""
    merge = HouseholdMerge.objects.select_for_update().select_related("kept").get(pk=merge.pk)
    keep = merge.kept
    _require_staff(actor, keep)
    if merge.undone_at is not None:
        raise DomainError("merge_undone", _("This merge has already been undone."))
    if timezone.now() - merge.merged_at > dt.timedelta(days=MERGE_UNDO_DAYS):
        raise DomainError(
            "merge_too_old",
            _("A merge can be undone only within %(days)s days.") % {"days": MERGE_UNDO_DAYS},
        )
    snap = merge.snapshot
    restored = Household(
        pk=merge.merged_id,
        **{name: snap[name] for name in _SNAPSHOT_FIELDS},
        violence_notes=decrypt(snap["violence_notes"]) if snap.get("violence_notes") else "",
        anonymised_at=dt.datetime.fromisoformat(snap["anonymised_at"])
        if snap.get("anonymised_at")
        else None,
    )
    restored.save(force_insert=True)
    Household.objects.filter(pk=restored.pk).update(
        created_at=dt.datetime.fromisoformat(snap["created_at"])
    )
    for field in _own_relations():
        ids = merge.moved.get(_label(field), [])
        if ids:
            field.model._base_manager.filter(pk__in=ids, **{field.name: keep}).update(
                **{field.name: restored}
            )
    for module in app_merges():
        module.undo(moved=merge.moved, source=restored, target=keep)
    Resident.objects.filter(pk__in=merge.moved.get("demoted_heads", [])).update(
        relation=Resident.Relation.HEAD
    )
    volunteers = merge.moved.get("care_volunteers", [])
    if volunteers:
        restored.care_volunteers.add(*volunteers)
        keep.care_volunteers.remove(*volunteers)
    coverage_refresh(household_ids=[keep.pk, restored.pk])
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    event_record(
        kind=TimelineEvent.Kind.MERGE_UNDONE,
        dong_id=keep.dong_id,
        household=keep,
        actor=actor,
        subject=merge,
        summary=str(restored),
    )
    return restored
