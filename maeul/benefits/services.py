"""Writes of the benefits app: the means data the rules need, turning an entitlement into a
linkage, and the registry sweep (blind spots → discovery leads).

Means data edits write no timeline event: they are records of the household, not acts of the
hub that the indicators count (the linkage and the lead they lead to are)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.benefits.models import (
    MONEY_FIELDS,
    HouseholdSituation,
    MeansRecord,
    Region,
    SupportObligor,
    SweepRun,
)
from maeul.benefits.rules import CRISIS_SITUATIONS, PROGRAMMES
from maeul.benefits.rules.evaluate import evaluate_batch, parse_period
from maeul.benefits.selectors import (
    AGE_ONLY,
    current_period,
    household_entitlements,
    registry_arrays,
)
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import Household, Programme, Resident, TimelineEvent
from maeul.people.selectors import dong_ids_of, households_visible_to

#: Programmes screened together: a household that receives one programme of a family is
#: already known to the officials who screen the others (one NBLS application screens the four
#: benefits and the near-poor status; the gu's livelihood line fills the NBLS gap). Being
#: entitled to a programme of a family it receives nothing from makes a household a blind spot.
FAMILIES: dict[str, tuple[str, ...]] = {
    "nbls": (
        "nbls_livelihood",
        "nbls_medical",
        "nbls_housing",
        "nbls_education",
        "near_poor",
        "local_livelihood",
    ),
    "basic_pension": ("basic_pension",),
    "disability_pension": ("disability_pension",),
    "single_parent": ("single_parent",),
    "emergency": ("emergency_welfare", "local_emergency_aid"),
    "child_allowance": ("child_allowance",),
}
FAMILY_OF = {p: family for family, programmes in FAMILIES.items() for p in programmes}


def _require_staff(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_hub_staff:
        raise PermissionDenied(_("Only hub staff may do this."))


def _require_visible(actor: User, household: Household) -> None:
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        raise NotFound()


def _money(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DomainError("invalid_amount", _("Enter an amount in KRW."), field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError("invalid_amount", _("Enter an amount in KRW."), field=field) from None
    if number < 0:
        raise DomainError("invalid_amount", _("The amount cannot be negative."), field=field)
    return number


# Means data ----------------------------------------------------------------------------------


@transaction.atomic
def means_record(
    *,
    actor: User,
    resident: Resident,
    values: Mapping[str, Any],
    single_parent: bool | None = None,
) -> MeansRecord:
    """Record (replace) a member's declared monthly income and property. A blank value means
    *not known* and keeps the rules from deciding on it."""
    _require_staff(actor)
    _require_visible(actor, resident.household)
    cleaned = {field: _money(values.get(field), field) for field in MONEY_FIELDS}
    record, _created = MeansRecord.objects.update_or_create(
        resident=resident,
        defaults={
            **cleaned,
            "household_id": resident.household_id,
            "single_parent": single_parent,
            "recorded_on": timezone.localdate(),
            "recorded_by": actor,
        },
    )
    return record


@transaction.atomic
def household_situation_record(
    *, actor: User, household: Household, region: str = "", crisis: str = ""
) -> HouseholdSituation:
    """Record the household's region class (blank: the gu's default) and crisis situation
    (blank: none — the question was asked)."""
    _require_staff(actor)
    _require_visible(actor, household)
    if region and region not in Region.values:
        raise DomainError("invalid_region", _("Choose a valid region."), field="region")
    if crisis and crisis not in CRISIS_SITUATIONS:
        raise DomainError("invalid_crisis", _("Choose a valid crisis situation."), field="crisis")
    situation, _created = HouseholdSituation.objects.update_or_create(
        household=household,
        defaults={
            "region": region,
            "crisis": crisis,
            "recorded_on": timezone.localdate(),
            "recorded_by": actor,
        },
    )
    return situation


@transaction.atomic
def support_obligor_add(
    *,
    actor: User,
    household: Household,
    relation: str,
    annual_income: Any = None,
    assets: Any = None,
) -> SupportObligor:
    """Add a support obligor (a relative living apart bound to support the household)."""
    _require_staff(actor)
    _require_visible(actor, household)
    if relation not in SupportObligor.Relation.values:
        raise DomainError("invalid_relation", _("Choose a valid relation."), field="relation")
    return SupportObligor.objects.create(
        household=household,
        relation=relation,
        annual_income=_money(annual_income, "annual_income"),
        assets=_money(assets, "assets"),
        recorded_on=timezone.localdate(),
        recorded_by=actor,
    )


@transaction.atomic
def support_obligor_remove(*, actor: User, obligor: SupportObligor) -> None:
    _require_staff(actor)
    _require_visible(actor, obligor.household)
    obligor.delete()


# Entitlement → linkage ----------------------------------------------------------------------


@transaction.atomic
def entitlement_link(*, actor: User, household: Household, programme: str, period: str = ""):
    """Turn an entitlement found by the rules into a proposed public-benefit linkage (core
    loop 4). Refused when the household is not entitled, already receives it or it is already
    linked (a declined linkage may be proposed again)."""
    from maeul.cases.models import Linkage
    from maeul.cases.services import linkage_propose

    _require_staff(actor)
    _require_visible(actor, household)
    if programme not in PROGRAMMES:
        raise DomainError("invalid_programme", _("Unknown programme."), field="programme")
    Household.objects.select_for_update().filter(pk=household.pk).first()
    evaluation = household_entitlements(user=actor, household=household, period=period or None)
    row = next(r for r in evaluation["programmes"] if r["id"] == programme)
    if row["received"]:
        raise DomainError("already_received", _("The household already receives this benefit."))
    if row["linked"]:
        raise DomainError("already_linked", _("This benefit is already linked."))
    if not row["entitled"]:
        raise DomainError(
            "not_entitled", _("The rules do not find the household entitled to this benefit.")
        )
    return linkage_propose(
        actor=actor,
        household=household,
        kind=Linkage.Kind.PUBLIC_BENEFIT,
        programme=programme,
        description=row["reason_text"],
        amount=row["amount"] or None,
    )


# Registry sweep ------------------------------------------------------------------------------

_EXTRA_KEYS = {"household_ids", "household_dong", "complete", "resident_count", "unknown_birth"}


def _sweep_dongs(actor: User | None, dong_ids: Iterable[int] | None) -> list[int] | None:
    if actor is None:
        return None if dong_ids is None else list(dong_ids)
    _require_staff(actor)
    allowed = set(dong_ids_of(actor))
    if dong_ids is None:
        return sorted(allowed)
    requested = set(dong_ids)
    if not requested <= allowed:
        raise NotFound()
    return sorted(requested)


def registry_sweep(
    *,
    actor: User | None = None,
    period: str | None = None,
    dong_ids: Iterable[int] | None = None,
    create_leads: bool = False,
) -> SweepRun:
    """Screen every household of the dongs for every programme at once (one OpenFisca
    simulation) and list, per dong, the **blind spots** — entitled to a programme of a family
    the household receives nothing from (``FAMILIES``) — and the **unqualified receipts** —
    receives a programme the rules no longer find it entitled to, for an official's review:
    never a cut-off (DOMAIN.md; the Suyeong-gu reform found 333).

    Only households whose every member's means are known are judged on means-tested
    programmes (others count as ``incomplete``); child allowance needs only ages.
    ``create_leads``: a discovery lead (source high-risk list, normal urgency) for each blind
    spot without an open lead — so a re-run adds none. ``actor`` None: the command (all
    dongs); a user sweeps the dongs they work in."""
    try:
        period = parse_period(period or current_period())
    except ValueError as exc:
        raise DomainError("invalid_period", str(exc), field="period") from exc
    dongs = _sweep_dongs(actor, dong_ids)
    started = time.perf_counter()
    arrays = registry_arrays(period=period, dong_ids=dongs)
    ids = arrays["household_ids"]
    results: dict[str, dict[str, Any]] = {}
    blind_total = unqualified_total = incomplete_total = 0
    blind_rows: list[tuple[int, int, list[str]]] = []
    if len(ids):
        out = evaluate_batch({k: v for k, v in arrays.items() if k not in _EXTRA_KEYS})
        complete = arrays["complete"]
        decided = {p: complete | (p in AGE_ONLY) for p in PROGRAMMES}
        family_received = {
            family: np.logical_or.reduce([arrays[f"receipt_{p}"] for p in programmes])
            for family, programmes in FAMILIES.items()
        }
        blind = {p: out[p] & ~family_received[FAMILY_OF[p]] & decided[p] for p in PROGRAMMES}
        unqualified = {p: out[f"unqualified_{p}"] & decided[p] for p in PROGRAMMES}
        blind_any = np.logical_or.reduce(list(blind.values()))
        unqualified_any = np.logical_or.reduce(list(unqualified.values()))
        dong_of = arrays["household_dong"]
        for dong_id in np.unique(dong_of).tolist():
            in_dong = dong_of == dong_id
            entry = {
                "households": int(in_dong.sum()),
                "incomplete": int((in_dong & ~complete).sum()),
                "blind_spots": [],
                "unqualified": [],
            }
            for i in np.flatnonzero(in_dong & blind_any).tolist():
                programmes = [p for p in PROGRAMMES if blind[p][i]]
                entry["blind_spots"].append([int(ids[i]), programmes])
                blind_rows.append((int(ids[i]), int(dong_id), programmes))
            for i in np.flatnonzero(in_dong & unqualified_any).tolist():
                entry["unqualified"].append(
                    [int(ids[i]), [p for p in PROGRAMMES if unqualified[p][i]]]
                )
            results[str(dong_id)] = entry
            blind_total += len(entry["blind_spots"])
            unqualified_total += len(entry["unqualified"])
            incomplete_total += entry["incomplete"]
    seconds = time.perf_counter() - started
    with transaction.atomic():
        leads = _sweep_leads(actor=actor, period=period, rows=blind_rows) if create_leads else 0
        run = SweepRun.objects.create(
            actor=actor,
            period=period,
            dong_ids=dongs if dongs is not None else sorted(int(k) for k in results),
            households=len(ids),
            residents=int(arrays["resident_count"]),
            blind_spots=blind_total,
            unqualified=unqualified_total,
            incomplete=incomplete_total,
            leads_created=leads,
            seconds=round(seconds, 3),
            results=results,
        )
    return run


def _sweep_leads(*, actor: User | None, period: str, rows: list[tuple[int, int, list[str]]]) -> int:
    """Bulk-register one lead per blind-spot household without an open lead, with the events
    ``lead_register`` writes for a known household."""
    from maeul.discovery.models import Lead
    from maeul.discovery.services import due_at_for

    if not rows:
        return 0
    household_ids = [r[0] for r in rows]
    open_ids = set()
    for chunk in range(0, len(household_ids), 5000):
        open_ids |= set(
            Lead.objects.filter(
                household_id__in=household_ids[chunk : chunk + 5000],
                status__in=Lead.OPEN_STATUSES,
            ).values_list("household_id", flat=True)
        )
    todo = [r for r in rows if r[0] not in open_ids]
    if not todo:
        return 0
    households = {
        h.pk: h
        for h in Household.objects.filter(pk__in=[r[0] for r in todo]).prefetch_related("members")
    }
    now = timezone.now()
    actor_user = actor if actor is not None and actor.is_authenticated else None
    leads = []
    for household_id, dong_id, programmes in todo:
        household = households[household_id]
        head = household.head
        labels = ", ".join(str(Programme(p).label) for p in programmes)
        leads.append(
            Lead(
                dong_id=dong_id,
                household=household,
                source=Lead.Source.HIGH_RISK_LIST,
                urgency=Lead.Urgency.NORMAL,
                status=Lead.Status.NEW,
                match=Lead.Match.RRN
                if head is not None and head.rrn_index
                else Lead.Match.NAME_BIRTH_ADDRESS,
                reported_by=actor_user,
                subject_name=head.name if head else "",
                address=household.address,
                description=gettext(
                    "Rules sweep %(period)s: may be entitled to %(programmes)s, receives none "
                    "of them. Check the means data and suggest an application."
                )
                % {"period": period, "programmes": labels},
                crisis_signals=[],
                due_at=due_at_for(urgency=Lead.Urgency.NORMAL, registered_at=now),
                created_at=now,
            )
        )
    Lead.objects.bulk_create(leads, batch_size=1000)
    source_label = str(Lead.Source.HIGH_RISK_LIST.label)
    events = []
    for lead in leads:
        for kind, summary in (
            (TimelineEvent.Kind.LEAD_MATCHED, str(Lead.Match(lead.match).label)),
            (TimelineEvent.Kind.LEAD_REGISTERED, source_label),
        ):
            events.append(
                TimelineEvent(
                    kind=kind,
                    dong_id=lead.dong_id,
                    household_id=lead.household_id,
                    actor=actor_user,
                    subject_type="lead",
                    subject_id=lead.pk,
                    summary=summary,
                    occurred_at=now,
                )
            )
    TimelineEvent.objects.bulk_create(events, batch_size=1000)
    return len(leads)
