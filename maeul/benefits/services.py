"""Writes of the benefits app: the means data the rules need, turning an entitlement into a
linkage, and the registry sweep (blind spots → discovery leads).

Means data edits write no timeline event: they are records of the household, not acts of the
hub that the indicators count (the linkage and the lead they lead to are)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.areas.models import Area
from maeul.benefits.models import (
    MONEY_FIELDS,
    HouseholdSituation,
    LocalRuleSetting,
    MeansRecord,
    Region,
    SupportObligor,
    SweepRun,
)
from maeul.benefits.rules import CRISIS_SITUATIONS, PROGRAMMES
from maeul.benefits.rules.evaluate import FIRST_PERIOD, evaluate_batch, parse_period
from maeul.benefits.selectors import (
    AGE_ONLY,
    current_period,
    gu_of,
    household_entitlements,
    local_parameters_cached,
    registry_arrays,
    rules_system_for_gu,
)
from maeul.cases.models import Linkage
from maeul.cases.services import linkage_propose
from maeul.discovery.bulk import NewLead, leads_bulk_register
from maeul.discovery.models import Lead
from maeul.discovery.selectors import households_with_open_lead
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import Household, Programme, Resident
from maeul.people.selectors import dong_ids_of, household_require_visible

logger = logging.getLogger(__name__)

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
    require_hub_staff(actor)
    household_require_visible(user=actor, household=resident.household)
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
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
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
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
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
    require_hub_staff(actor)
    household_require_visible(user=actor, household=obligor.household)
    obligor.delete()


# Entitlement → linkage ----------------------------------------------------------------------


@transaction.atomic
def entitlement_link(*, actor: User, household: Household, programme: str, period: str = ""):
    """Turn an entitlement found by the rules into a proposed public-benefit linkage (core
    loop 4). Refused when the household is not entitled, already receives it or it is already
    linked (a declined linkage may be proposed again)."""
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
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


# The gu's ordinance lines -------------------------------------------------------------------

#: Sane bounds of a gu's value by kind of parameter: a share of the median income, a property
#: limit (KRW) or an amount of support (KRW). Wider than any ordinance, narrow enough to catch
#: a slip of the keyboard (0.6 typed as 60, an amount typed with three zeros too many).
LOCAL_BOUNDS: dict[str, tuple[Decimal, Decimal]] = {
    "rate": (Decimal("0.01"), Decimal("1")),
    "limit": (Decimal("0"), Decimal("10000000000")),
    "amount": (Decimal("0"), Decimal("10000000")),
}
LOCAL_FIRST_DAY = dt.date.fromisoformat(f"{FIRST_PERIOD}-01")


def local_parameter_kind(path: str, unit: str = "") -> str:
    leaf = path.rsplit(".", 1)[-1]
    if unit != "currency-KRW" and leaf.endswith("rate"):
        return "rate"
    return "limit" if "limit" in leaf else "amount"


@transaction.atomic
def local_rule_set(
    *,
    actor: User,
    parameter: str,
    value: Any,
    valid_from: dt.date,
    note: str = "",
) -> LocalRuleSetting:
    """Set the actor's gu's value of one ordinance line from ``valid_from`` (the first day of
    a month) on. Gu team and administrators only (dong staff read the lines). The previous
    values stay as history; the national YAML is not touched. Writes no timeline event: the
    setting concerns no household (its row, with who and when, is the record)."""
    if not actor.is_authenticated or not actor.is_gu_level:
        raise PermissionDenied(_("Only the gu team and administrators may change the gu's lines."))
    gu = gu_of(actor)
    if gu is None:
        raise NotFound()
    known = {p["path"]: p for p in local_parameters_cached()}
    if parameter not in known:
        raise DomainError(
            "invalid_parameter", _("Choose one of the gu's lines."), field="parameter"
        )
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_value", _("Enter a number."), field="value") from None
    if isinstance(value, bool) or not number.is_finite():
        raise DomainError("invalid_value", _("Enter a number."), field="value")
    kind = local_parameter_kind(parameter, known[parameter]["unit"])
    low, high = LOCAL_BOUNDS[kind]
    if kind == "rate":
        if not low <= number <= high:
            raise DomainError(
                "out_of_bounds",
                _("A share of the median income lies between 0.01 and 1 (e.g. 0.6 for 60%)."),
                field="value",
            )
        if number != number.quantize(Decimal("0.0001")):
            raise DomainError(
                "out_of_bounds", _("Use at most four decimals for a share."), field="value"
            )
    else:
        if number != number.to_integral_value():
            raise DomainError("out_of_bounds", _("Enter whole won."), field="value")
        if not low <= number <= high:
            raise DomainError(
                "out_of_bounds",
                _("Enter an amount between %(low)s and %(high)s won.")
                % {"low": f"{int(low):,}", "high": f"{int(high):,}"},
                field="value",
            )
    if not isinstance(valid_from, dt.date):
        raise DomainError("invalid_date", _("Enter a date."), field="valid_from")
    if valid_from.day != 1:
        raise DomainError(
            "invalid_date",
            _("Lines change on the first day of a month (the rules screen month by month)."),
            field="valid_from",
        )
    today = timezone.localdate()
    if valid_from < LOCAL_FIRST_DAY or valid_from > today.replace(year=today.year + 5, day=1):
        raise DomainError(
            "invalid_date",
            _("Choose a month from %(first)s to five years from now.")
            % {"first": LOCAL_FIRST_DAY.strftime("%Y-%m")},
            field="valid_from",
        )
    note = (note or "").strip()
    if len(note) > 300:
        raise DomainError("invalid_note", _("Keep the note under 300 characters."), field="note")
    Area.objects.select_for_update().filter(pk=gu.pk).first()  # one change of the gu at a time
    return LocalRuleSetting.objects.create(
        gu=gu,
        parameter=parameter,
        value=number,
        valid_from=valid_from,
        changed_by=actor,
        note=note,
    )


# Registry sweep ------------------------------------------------------------------------------

_EXTRA_KEYS = {"household_ids", "household_dong", "complete", "resident_count", "unknown_birth"}


def _sweep_dongs(actor: User | None, dong_ids: Iterable[int] | None) -> list[int] | None:
    if actor is None:
        return None if dong_ids is None else list(dong_ids)
    require_hub_staff(actor)
    allowed = set(dong_ids_of(actor))
    if dong_ids is None:
        return sorted(allowed)
    requested = set(dong_ids)
    if not requested <= allowed:
        raise NotFound()
    return sorted(requested)


_PERSON_KEYS = {"household", "age", "relation", "disability", "single_parent", *MONEY_FIELDS}


def _evaluate_by_gu(arrays: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """``evaluate_batch`` with each gu's ordinance lines: one simulation per distinct system
    (one for a gu, or for gus that set no lines of their own), merged back in order."""
    rule_arrays = {k: v for k, v in arrays.items() if k not in _EXTRA_KEYS}
    dong_of = arrays["household_dong"]
    dongs = np.unique(dong_of)
    gu_of_dong = dict(Area.objects.filter(pk__in=dongs.tolist()).values_list("pk", "parent_id"))
    systems: dict[int | None, Any] = {
        gu: rules_system_for_gu(gu) for gu in set(gu_of_dong.values())
    }
    system_of_dong = {d: systems.get(gu_of_dong.get(d)) for d in dongs.tolist()}
    distinct = {id(s): s for s in system_of_dong.values()}
    if len(distinct) == 1:
        return evaluate_batch(rule_arrays, system=next(iter(distinct.values())))
    n = len(dong_of)
    person_household = rule_arrays["household"]
    merged: dict[str, np.ndarray] = {}
    for key, system in distinct.items():
        group_dongs = [d for d, s in system_of_dong.items() if id(s) == key]
        mask = np.isin(dong_of, group_dongs)
        person_mask = mask[person_household]
        new_index = np.cumsum(mask) - 1
        part = {}
        for name, values in rule_arrays.items():
            if name == "period":
                part[name] = values
            elif name == "household":
                part[name] = new_index[values[person_mask]]
            elif name in _PERSON_KEYS:
                part[name] = np.asarray(values)[person_mask]
            else:
                part[name] = np.asarray(values)[mask]
        for name, values in evaluate_batch(part, system=system).items():
            if name not in merged:
                merged[name] = np.zeros(n, dtype=values.dtype)
            merged[name][mask] = values
    return merged


def registry_sweep(
    *,
    actor: User | None = None,
    period: str | None = None,
    dong_ids: Iterable[int] | None = None,
    create_leads: bool = False,
    run: SweepRun | None = None,
    progress: Callable[[int, int], None] | None = None,
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
    dongs); a user sweeps the dongs they work in.

    The leads and the saved run are one transaction, taken with the gus' lock
    (``_sweep_lock``): a sweep that fails half way leaves nothing, and two sweeps of a gu
    cannot register the same leads. ``run``: the queued run of the background task
    (``sweep_run_execute``), filled in — it must still be running — instead of a new one.
    ``progress(done, total)``: households swept so far, once the registry is read, after each
    dong and at the end."""
    try:
        period = parse_period(period or current_period())
    except ValueError as exc:
        raise DomainError("invalid_period", str(exc), field="period") from exc
    dongs = _sweep_dongs(actor, dong_ids)
    started = time.perf_counter()
    arrays = registry_arrays(period=period, dong_ids=dongs)
    ids = arrays["household_ids"]
    results: dict[str, dict[str, Any]] = {}
    blind_total = unqualified_total = incomplete_total = swept = 0
    blind_rows: list[tuple[int, int, list[str]]] = []
    if progress is not None:
        progress(0, len(ids))
    if len(ids):
        out = _evaluate_by_gu(arrays)
        complete = arrays["complete"]
        decided = {p: complete | (p in AGE_ONLY) for p in PROGRAMMES}
        family_received = {
            family: np.logical_or.reduce([arrays[f"receipt_{p}"] for p in programmes])
            for family, programmes in FAMILIES.items()
        }
        # one bit per programme: a household's programmes are one integer, its list one lookup
        bits = np.int64(1) << np.arange(len(PROGRAMMES), dtype=np.int64)
        blind_code = np.zeros(len(ids), dtype=np.int64)
        unqualified_code = np.zeros(len(ids), dtype=np.int64)
        for bit, p in zip(bits, PROGRAMMES, strict=True):
            blind_code |= np.where(out[p] & ~family_received[FAMILY_OF[p]] & decided[p], bit, 0)
            unqualified_code |= np.where(out[f"unqualified_{p}"] & decided[p], bit, 0)
        names: dict[int, list[str]] = {}

        def programmes_of(code: int) -> list[str]:
            if code not in names:
                names[code] = [
                    p for b, p in zip(bits.tolist(), PROGRAMMES, strict=True) if code & b
                ]
            return names[code]

        dong_of = arrays["household_dong"]
        ids_list = ids.tolist()
        for dong_id in np.unique(dong_of).tolist():
            in_dong = dong_of == dong_id
            entry: dict[str, Any] = {
                "households": int(in_dong.sum()),
                "incomplete": int((in_dong & ~complete).sum()),
                "blind_spots": [],
                "unqualified": [],
            }
            for i in np.flatnonzero(in_dong & (blind_code != 0)).tolist():
                programmes = programmes_of(int(blind_code[i]))
                entry["blind_spots"].append([ids_list[i], programmes])
                blind_rows.append((ids_list[i], int(dong_id), programmes))
            for i in np.flatnonzero(in_dong & (unqualified_code != 0)).tolist():
                entry["unqualified"].append([ids_list[i], programmes_of(int(unqualified_code[i]))])
            results[str(dong_id)] = entry
            swept += entry["households"]
            if progress is not None:
                progress(swept, len(ids))
            blind_total += len(entry["blind_spots"])
            unqualified_total += len(entry["unqualified"])
            incomplete_total += entry["incomplete"]
    seconds = time.perf_counter() - started
    fields: dict[str, Any] = {
        "actor": actor,
        "period": period,
        "dong_ids": dongs if dongs is not None else sorted(int(k) for k in results),
        "households": len(ids),
        "residents": int(arrays["resident_count"]),
        "blind_spots": blind_total,
        "unqualified": unqualified_total,
        "incomplete": incomplete_total,
        "seconds": round(seconds, 3),
        "results": results,
        "create_leads": create_leads,
        "status": SweepRun.Status.DONE,
        "done": len(ids),
        "total": len(ids),
    }
    with transaction.atomic():
        _sweep_lock(fields["dong_ids"])
        if (
            run is not None
            and not SweepRun.objects.filter(pk=run.pk, status=SweepRun.Status.RUNNING).exists()
        ):
            raise DomainError("sweep_abandoned", _("This sweep was stopped as abandoned."))
        fields["leads_created"] = (
            _sweep_leads(actor=actor, period=period, rows=blind_rows) if create_leads else 0
        )
        fields["finished_at"] = timezone.now()
        if run is None:
            run = SweepRun.objects.create(**fields)
        else:
            for name, value in fields.items():
                setattr(run, name, value)
            run.save()
    return run


def _sweep_leads(*, actor: User | None, period: str, rows: list[tuple[int, int, list[str]]]) -> int:
    """Register one lead per blind-spot household without an open lead, through discovery's
    bulk builder (the rows ``lead_register`` writes for a known household)."""
    if not rows:
        return 0
    open_ids = households_with_open_lead(r[0] for r in rows)
    todo = [r for r in rows if r[0] not in open_ids]
    if not todo:
        return 0
    households = {
        h.pk: h
        for h in Household.objects.filter(pk__in=[r[0] for r in todo]).prefetch_related("members")
    }
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    leads = []
    for household_id, dong_id, programmes in todo:
        household = households[household_id]
        head = household.head
        labels = ", ".join(str(Programme(p).label) for p in programmes)
        leads.append(
            NewLead(
                dong_id=dong_id,
                household_id=household_id,
                source=Lead.Source.HIGH_RISK_LIST.value,
                match=(
                    Lead.Match.RRN.value
                    if head is not None and head.rrn_index
                    else Lead.Match.NAME_BIRTH_ADDRESS.value
                ),
                subject_name=head.name if head else "",
                address=household.address,
                description=gettext(
                    "Rules sweep %(period)s: may be entitled to %(programmes)s, receives none "
                    "of them. Check the means data and suggest an application."
                )
                % {"period": period, "programmes": labels},
            )
        )
    return len(leads_bulk_register(leads, actor_id=actor_id, now=timezone.now()))


# The sweep as a background task -----------------------------------------------------------

#: A running sweep reports its progress after each dong (seconds apart even at 500,000
#: residents): one silent this long has lost its worker.
SWEEP_STALE_AFTER = dt.timedelta(minutes=10)
#: Seconds between two progress writes of a running sweep (the page polls every 2 s).
SWEEP_PROGRESS_EVERY = 1.0


def _sweep_lock(dong_ids: Iterable[int]) -> list[int]:
    """Lock the gus of the dongs until the transaction ends (row locks on PostgreSQL, taken
    in id order; on SQLite every writing transaction is already exclusive — IMMEDIATE — so
    writers queue) and return their ids. The sweeps of a gu take it to open a run and to save
    its leads, so that they never overlap."""
    gu_ids = sorted(
        {
            gu_id
            for gu_id in Area.objects.filter(pk__in=list(dong_ids)).values_list(
                "parent_id", flat=True
            )
            if gu_id is not None
        }
    )
    list(
        Area.objects.select_for_update()
        .filter(pk__in=gu_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return gu_ids


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return str(exc.message)
    return f"{type(exc).__name__}: {exc}"[:1000]


def sweep_run_abandoned(run: SweepRun) -> str:
    """Why a queued or running sweep will never finish — its worker stopped reporting for
    ``SWEEP_STALE_AFTER``, or the tasks backend says its task ended or is gone — or "" while
    it may still finish. A queued sweep without a worker is not abandoned: it runs when the
    worker starts."""
    if not run.is_active:
        return ""
    if run.status == SweepRun.Status.RUNNING and run.updated_at < (
        timezone.now() - SWEEP_STALE_AFTER
    ):
        return gettext(
            "The sweep stopped without finishing: no progress for %(minutes)d minutes "
            "(was the worker stopped?)."
        ) % {"minutes": int(SWEEP_STALE_AFTER.total_seconds() // 60)}
    if not run.task_id or not default_task_backend.supports_get_result:
        return ""
    try:
        result = default_task_backend.get_result(run.task_id)
    except TaskResultDoesNotExist:
        return gettext("The sweep's task is no longer in the queue.")
    if result.status == TaskResultStatus.FAILED:
        lines = result.errors[-1].traceback.strip().splitlines() if result.errors else []
        return gettext("The worker could not run the sweep: %(error)s") % {
            "error": lines[-1] if lines else "?"
        }
    if result.status == TaskResultStatus.SUCCESSFUL:
        return gettext("The sweep's task ended without saving its results.")
    return ""


def sweep_run_open(
    *,
    actor: User | None,
    period: str | None = None,
    dong_ids: Iterable[int] | None = None,
    create_leads: bool = False,
) -> SweepRun:
    """Ask for a sweep: a *queued* run of the actor's dongs (``actor`` None: the command,
    every dong unless ``dong_ids``). The month and the scope are checked now, so that the
    form shows the error. Refused while a sweep of one of the same gus is queued or running
    (two would screen twice and race for the same leads); one found abandoned
    (``sweep_run_abandoned``) is marked failed with the reason and no longer counts."""
    try:
        period = parse_period(period or current_period())
    except ValueError as exc:
        raise DomainError("invalid_period", str(exc), field="period") from exc
    dongs = _sweep_dongs(actor, dong_ids)
    if dongs is None:
        dongs = list(
            Area.objects.filter(level=Area.Level.DONG).order_by("pk").values_list("pk", flat=True)
        )
    with transaction.atomic():
        gu_ids = set(_sweep_lock(dongs))
        for other in SweepRun.objects.filter(status__in=SweepRun.ACTIVE).defer("results"):
            other_gus = set(
                Area.objects.filter(pk__in=other.dong_ids).values_list("parent_id", flat=True)
            )
            if not gu_ids & other_gus:
                continue
            reason = sweep_run_abandoned(other)
            if reason:
                SweepRun.objects.filter(pk=other.pk, status=other.status).update(
                    status=SweepRun.Status.FAILED, error=reason, finished_at=timezone.now()
                )
                continue
            raise DomainError(
                "sweep_running",
                _(
                    "A sweep of this gu is already waiting or running (asked for at "
                    "%(when)s). Its progress is shown below; start another when it has ended."
                )
                % {"when": timezone.localtime(other.created_at).strftime("%Y-%m-%d %H:%M")},
            )
        return SweepRun.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None,
            period=period,
            dong_ids=dongs,
            create_leads=create_leads,
            status=SweepRun.Status.QUEUED,
        )


@transaction.atomic
def sweep_start(*, actor: User, period: str | None = None, create_leads: bool = False) -> SweepRun:
    """The page's button: open a run of the actor's dongs and queue the task that sweeps it
    (``maeul.benefits.tasks``). The run and its task are one transaction: the worker never
    sees one without the other."""
    from maeul.benefits.tasks import registry_sweep_task  # tasks import the services they run

    run = sweep_run_open(actor=actor, period=period, create_leads=create_leads)
    result = registry_sweep_task.enqueue(run_id=run.pk)
    SweepRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def sweep_run_execute(*, run_id: int) -> SweepRun | None:
    """Sweep a queued run (the task's body; the command calls it directly): mark it running,
    record the progress at most once a second, save the results with the leads
    (``registry_sweep``), or mark it failed with the reason and raise again. Nothing of a
    failed sweep is kept — the leads and the results are one transaction — so running it
    again writes each lead once. A run that is no longer queued (a task delivered twice, a
    run already failed) is left as it is: None."""
    now = timezone.now()
    claimed = SweepRun.objects.filter(pk=run_id, status=SweepRun.Status.QUEUED).update(
        status=SweepRun.Status.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    run = SweepRun.objects.select_related("actor").get(pk=run_id)
    reported = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal reported
        if 0 < done < total and time.monotonic() - reported < SWEEP_PROGRESS_EVERY:
            return
        reported = time.monotonic()
        SweepRun.objects.filter(pk=run_id).update(done=done, total=total, updated_at=timezone.now())

    try:
        return registry_sweep(
            actor=run.actor,
            period=run.period,
            dong_ids=run.dong_ids,
            create_leads=run.create_leads,
            run=run,
            progress=progress,
        )
    except Exception as exc:
        _sweep_run_mark_failed(run_id=run_id, exc=exc)
        raise


def _sweep_run_mark_failed(*, run_id: int, exc: BaseException) -> None:
    """Mark a running sweep failed with the reason. When the sweep failed because the database
    went away (PostgreSQL restarted: the server ended this connection), the update cannot go
    through the dead connection: it is closed and the update is tried once more on a new one,
    so that the run does not stay *running* and refuse the gu's next sweep for
    `SWEEP_STALE_AFTER`. Inside a caller's transaction the connection cannot be replaced (the
    transaction is lost with it): the run is then found abandoned later, as before. If the
    database is still down, the original error is what the caller sees."""

    def mark() -> None:
        SweepRun.objects.filter(pk=run_id, status=SweepRun.Status.RUNNING).update(
            status=SweepRun.Status.FAILED, error=_error_text(exc), finished_at=timezone.now()
        )

    try:
        mark()
        return
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            logger.warning(
                "sweep run %s: not marked failed (connection lost in a transaction)", run_id
            )
            return
    connection.close()
    try:
        mark()
    except (OperationalError, InterfaceError):
        logger.warning("sweep run %s: not marked failed (database unavailable)", run_id)
