"""Reads for the benefit pages and the sweep: a household's record turned into the rules'
payload and its evaluation; the registry turned into numpy arrays for ``evaluate_batch``;
the last sweep as the user may see it."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from maeul.accounts.models import User
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
from maeul.benefits.rules import PROGRAMMES
from maeul.benefits.rules.evaluate import evaluate
from maeul.benefits.rules.reforms import gu_system, local_parameters
from maeul.cases.models import Linkage
from maeul.people.models import BenefitReceipt, Household, Programme, Resident
from maeul.people.selectors import dong_ids_of

#: The gu page's names of the local parameters (the YAML's descriptions are not translated).
LOCAL_PARAMETER_LABELS = {
    "livelihood.rate": _(
        "Gu livelihood stability: income line, as a share of the standard median income"
    ),
    "livelihood.amount": _("Gu livelihood stability: monthly support (KRW)"),
    "emergency_aid.income_rate": _(
        "Gu emergency aid: income line, as a share of the standard median income"
    ),
    "emergency_aid.property_limit": _("Gu emergency aid: general property limit (KRW)"),
    "emergency_aid.amount": _("Gu emergency aid: one-off aid (KRW)"),
}

#: Programmes that only need ages (no means test): decided for every household in a sweep.
AGE_ONLY = {"child_allowance"}


def current_period() -> str:
    return timezone.localdate().strftime("%Y-%m")


def period_first_day(period: str) -> dt.date:
    return dt.date.fromisoformat(f"{period}-01")


def age_at(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return max(0, day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day)))


def region_default(dong: Area | None) -> str:
    """The region class of a dong from its ancestors: a gun is rural; a gu or si of a
    metropolitan or special city (…광역시, …특별시, …특별자치시) is metropolitan; others city.
    Suyeong-gu, Busan → metropolitan."""
    node, names = dong, []
    while node is not None:
        names.append(node.name or "")
        node = node.parent
    if any(name.endswith("군") for name in names[1:2]):
        return Region.RURAL
    if any(name.endswith(("광역시", "특별시", "특별자치시")) for name in names):
        return Region.METROPOLITAN
    return Region.CITY


def receipts_current(household_ids: Iterable[int], day: dt.date) -> dict[int, set[str]]:
    """Programmes each household receives on ``day`` (a member's receipt counts for the
    household)."""
    out: dict[int, set[str]] = {}
    rows = BenefitReceipt.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        household_id__in=list(household_ids),
        started_on__lte=day,
    ).values_list("household_id", "programme")
    for household_id, programme in rows:
        out.setdefault(household_id, set()).add(programme)
    return out


@dataclass(frozen=True)
class MeansRecords:
    """A household's means data as the rules read it: each member's record by resident id,
    the household's situation (or None) and its support obligors. Read once per request by
    ``household_means_records`` and shared by the evaluation and the page's forms."""

    means: dict[int, MeansRecord]
    situation: HouseholdSituation | None
    obligors: list[SupportObligor]


def household_means_records(household: Household) -> MeansRecords:
    """The household's means records, read now (three small queries by household)."""
    return MeansRecords(
        means={m.resident_id: m for m in MeansRecord.objects.filter(household=household)},
        situation=HouseholdSituation.objects.filter(household=household).first(),
        obligors=list(SupportObligor.objects.filter(household=household)),
    )


def household_payload(
    household: Household, *, period: str, records: MeansRecords | None = None
) -> dict[str, Any]:
    """The rules' request body for a household of the registry (members prefetched or not).
    Unknown values are ``None`` (or absent, for the crisis question never asked), so the
    rules answer "needs more data" and name them. ``records``: the household's means
    records when the caller has just read them (``household_means_records``)."""
    day = period_first_day(period)
    members = list(household.members.all())
    records = records or household_means_records(household)
    means, situation, obligors = records.means, records.situation, records.obligors
    has_minor_child = any(
        m.relation == "child" and (age_at(m.birth_date, day) or 0) < 18 for m in members
    )
    rows = []
    for member in members:
        record = means.get(member.pk)
        row: dict[str, Any] = {
            "age": age_at(member.birth_date, day),
            "relation": member.relation or "other",
            "disability": member.disability or None,
        }
        for field in MONEY_FIELDS:
            value = getattr(record, field) if record else None
            row[field] = None if value is None else int(value)
        if not has_minor_child:
            row["single_parent"] = False
        else:
            row["single_parent"] = record.single_parent if record else None
        rows.append(row)
    body: dict[str, Any] = {
        "region": (situation.region if situation and situation.region else None)
        or region_default(household.dong),
        "members": rows,
        "support_obligors": [
            {"relation": o.relation, "annual_income": o.annual_income, "assets": o.assets}
            for o in obligors
        ],
    }
    if situation is not None:
        body["crisis"] = situation.crisis or None
    return {"period": period, "household": body}


def reason_text(reason: dict[str, str]) -> str:
    """The reason in the current language (Korean UI → ko, otherwise en)."""
    language = (translation.get_language() or "en").lower()
    return reason["ko"] if language.startswith("ko") else reason["en"]


_MISSING_PATH = re.compile(r"(?:members\[(\d+)\]|household)\.(\w+)$")


def _field_label(field: str, *models) -> str:
    for model in models:
        try:
            return str(capfirst(model._meta.get_field(field).verbose_name))
        except FieldDoesNotExist:
            continue
    return field


def missing_labels(paths: Iterable[str], members: list[Resident]) -> list[str]:
    """The rules' missing inputs (`members[0].assets_financial`, `household.crisis`) as a
    person reads them: the member's name and the form's label ("김영희: 금융재산(원)"); a
    member's age is their birth date. A path of another shape is shown as it is."""
    labels = []
    for path in paths:
        match = _MISSING_PATH.match(path)
        if match is None:
            labels.append(path)
            continue
        index, field = match.groups()
        if index is None:
            labels.append(_field_label(field, HouseholdSituation))
            continue
        i = int(index)
        who = members[i].name if i < len(members) else str(i + 1)
        what = _field_label("birth_date" if field == "age" else field, MeansRecord, Resident)
        labels.append(f"{who}: {what}")
    return labels


def household_entitlements(
    *,
    user: User,
    household: Household,
    period: str | None = None,
    records: MeansRecords | None = None,
    receipts: Iterable[BenefitReceipt] | None = None,
    linkages: Iterable[Linkage] | None = None,
) -> dict:
    """The household's evaluation for the page: each programme with status, amount, reason
    (current language), threshold, distance, the missing fields, whether it is received or
    already linked. Callers pass a household from ``household_get`` (scoped), and its means
    records, all its benefit receipts and all its linkages when they have just read them (the
    page shows them too)."""
    period = period or current_period()
    payload = household_payload(household, period=period, records=records)
    result = evaluate(payload, system=rules_system_for_gu(gu_id_of_dong(household.dong)))
    day = period_first_day(period)
    if receipts is None:
        received = receipts_current([household.pk], day).get(household.pk, set())
    else:  # the same test as receipts_current's, on the rows the page has read
        received = {
            r.programme
            for r in receipts
            if r.started_on <= day and (r.ended_on is None or r.ended_on >= day)
        }
    if linkages is None:
        linked = set(
            Linkage.objects.filter(household=household, kind=Linkage.Kind.PUBLIC_BENEFIT)
            .exclude(status=Linkage.Status.DECLINED)
            .values_list("programme", flat=True)
        )
    else:  # the same test, on the rows the page has read
        linked = {
            link.programme
            for link in linkages
            if link.kind == Linkage.Kind.PUBLIC_BENEFIT and link.status != Linkage.Status.DECLINED
        }
    rows = []
    members = list(household.members.all())  # the payload's members, in its order
    for item in result["programmes"]:
        programme = item["id"]
        missing: list[str] = []
        if item["entitled"] is None:
            text = item["reason"]["en"]
            missing = text.split(": ", 1)[1].split(", ") if ": " in text else []
        rows.append(
            {
                **item,
                "label": Programme(programme).label,
                # a missing-data result's reason is its list of inputs: shown once, labelled
                "reason_text": "" if missing else reason_text(item["reason"]),
                "missing": missing,  # the rules' paths (the API's `missing`)
                "missing_labels": missing_labels(missing, members),
                "received": programme in received,
                "linked": programme in linked,
                "can_link": bool(item["entitled"])
                and programme not in received
                and programme not in linked,
            }
        )
    return {"period": period, "programmes": rows, "payload": payload}


# The gu's ordinance lines -------------------------------------------------------------------

#: Built systems by (gu id, the gu's settings rows): a page view finds its gu's system here
#: after one small query; a new setting changes the key, so the next view rebuilds it.
_SYSTEMS: dict[tuple, TaxBenefitSystem] = {}
_SYSTEMS_MAX = 64
_SYSTEMS_LOCK = threading.Lock()


def gu_id_of_dong(dong: Area | None) -> int | None:
    """The gu (si/gun/gu) a dong belongs to; tong and ban climb to their dong first."""
    node = dong
    while node is not None and node.level in (Area.Level.TONG, Area.Level.BAN):
        node = node.parent
    if node is None:
        return None
    if node.level == Area.Level.SIGUNGU:
        return node.pk
    return node.parent_id if node.level == Area.Level.DONG else None


def gu_of(user: User) -> Area | None:
    """The gu a staff user works in (their home dong's gu, or their gu)."""
    area = getattr(user, "home_area", None)
    gu_id = gu_id_of_dong(area)
    if gu_id is None or area is None:  # no home area has no gu
        return None
    return area if area.pk == gu_id else Area.objects.filter(pk=gu_id).first()


def _number(value) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def rules_system_for_gu(gu_id: int | None) -> TaxBenefitSystem | None:
    """The tax-benefit system with the gu's ordinance lines (``LocalRuleSetting``), or None
    (the package's own system) when the gu has set none. One query; the system is built once
    per (gu, settings) and kept for the process."""
    if gu_id is None:
        return None
    known = {p["path"] for p in local_parameters_cached()}
    rows = tuple(
        row
        for row in LocalRuleSetting.objects.filter(gu_id=gu_id)
        .order_by("valid_from", "changed_at", "id")
        .values_list("id", "parameter", "valid_from", "value")
        if row[1] in known  # a parameter dropped from the YAML is ignored, not a crash
    )
    if not rows:
        return None
    key = (gu_id, rows)
    system = _SYSTEMS.get(key)
    if system is None:
        overrides: dict[str, list] = {}
        for _id, parameter, valid_from, value in rows:
            overrides.setdefault(parameter, []).append((valid_from, _number(value)))
        system = gu_system(overrides)
        with _SYSTEMS_LOCK:
            if len(_SYSTEMS) >= _SYSTEMS_MAX:
                _SYSTEMS.pop(next(iter(_SYSTEMS)))
            _SYSTEMS[key] = system
    return system


@cache
def local_parameters_cached() -> tuple[dict, ...]:
    return tuple(local_parameters())


def local_value_text(value: float | int | None, *, is_rate: bool) -> str:
    """0.65 → "0.65 (65%)"; 500000 → "₩500,000"."""
    if value is None:
        return "—"
    if is_rate:
        return f"{value:g} ({value * 100:.4g}%)"
    return f"₩{int(value):,}"


def local_rules_overview(*, user: User, day: dt.date | None = None) -> dict | None:
    """The gu page of ordinance lines: for each local parameter, the national default from
    the YAML on ``day``, the gu's value on ``day`` (its latest setting in force), the setting
    waiting for a later date if any, and the gu's history (newest first). None when the user
    has no gu (callers answer 404)."""
    gu = gu_of(user) if user.is_authenticated and user.is_hub_staff else None
    if gu is None:
        return None
    day = day or timezone.localdate()
    settings = list(
        LocalRuleSetting.objects.filter(gu=gu)
        .select_related("changed_by")
        .order_by("-valid_from", "-changed_at", "-id")
    )
    rows = []
    for parameter in local_parameters_cached():
        path = parameter["path"]
        default = next(
            (v for start, v in reversed(parameter["values"]) if start <= day.isoformat()), None
        )
        is_rate = parameter["unit"] != "currency-KRW"
        history = [s for s in settings if s.parameter == path]
        shown = {s.pk: local_value_text(_number(s.value), is_rate=is_rate) for s in history}
        for setting in history:
            # the page reads ``s.shown`` of the history rows and of the upcoming one;
            # LocalRuleSetting declares no such attribute, so it is set by name
            setattr(setting, "shown", shown[setting.pk])  # noqa: B010
        current = next((s for s in history if s.valid_from <= day), None)
        upcoming = [s for s in history if s.valid_from > day]
        current_text = shown[current.pk] if current else local_value_text(default, is_rate=is_rate)
        rows.append(
            {
                "path": path,
                "label": LOCAL_PARAMETER_LABELS.get(path, parameter["description"] or path),
                "is_rate": is_rate,
                "default": local_value_text(default, is_rate=is_rate),
                "current": current,
                "value": current_text,
                "upcoming": upcoming[-1] if upcoming else None,
                "history": history,
            }
        )
    return {
        "gu": gu,
        "day": day,
        "parameters": rows,
        "has_history": bool(settings),
        "can_edit": user.is_gu_level,
    }


# The registry as arrays ---------------------------------------------------------------------


def _fetch(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset straight from the database cursor: the ORM
    writes the SQL, but no per-row converters run (half the time of a 500,000-row read).
    Dates come back as ``date`` (PostgreSQL) or ISO strings (SQLite): numpy takes both."""
    from django.db import connections

    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _columns(rows: list[tuple], width: int) -> list[tuple]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _index_of(ids: np.ndarray, keys: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``keys`` in the sorted ``ids`` and a mask of the keys found there."""
    keys = np.fromiter(keys, dtype=np.int64)
    position = np.searchsorted(ids, keys)
    position = np.minimum(position, max(len(ids) - 1, 0))
    found = (ids[position] == keys) if len(ids) else np.zeros(len(keys), dtype=bool)
    return position, found


def registry_arrays(*, period: str, dong_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """All households of the dongs (or of the database) with their members, means, situation,
    obligors and current receipts, as ``evaluate_batch`` arrays — five queries (residents
    joined with their means record, households, situations, obligors, receipts) read
    straight into numpy: no model instances, no Python work per resident beyond the cursor.
    Not scoped by a user: the sweep service passes the dongs the acting user may sweep.

    Extra keys (not read by the rules): ``household_ids``, ``household_dong`` (dong id per
    household), ``complete`` (every member's six money fields known), ``receipts``
    (household index → set of programmes)."""
    day = period_first_day(period)
    residents = Resident.objects.filter(household__anonymised_at__isnull=True)
    households = Household.objects.filter(anonymised_at__isnull=True)
    if dong_ids is not None:
        dong_ids = list(dong_ids)
        residents = residents.filter(household__dong_id__in=dong_ids)
        households = households.filter(dong_id__in=dong_ids)
    # residents LEFT JOIN their means record (one to one), in household order; the date and
    # the boolean cast in SQL so that no per-row converter runs
    rows = _fetch(
        residents.order_by("household_id", "id")
        .annotate(
            birth_text=Cast("birth_date", CharField()),
            single_int=Cast("means__single_parent", IntegerField()),
        )
        .values_list(
            "household_id",
            "birth_text",
            "relation",
            "disability",
            "means__id",
            "single_int",
            *(f"means__{field}" for field in MONEY_FIELDS),
        )
    )
    n_persons = len(rows)
    table = np.array(rows, dtype=object).reshape(n_persons, 6 + len(MONEY_FIELDS))
    del rows
    person_hid = table[:, 0].astype(np.int64)
    ids, person_household = np.unique(person_hid, return_inverse=True)
    person_household = person_household.reshape(-1)
    n = len(ids)
    # ages: completed years on the period's first day
    births = table[:, 1].astype("datetime64[D]")
    known_birth = ~np.isnat(births)
    births = np.where(known_birth, births, np.datetime64(day, "D"))
    years = births.astype("datetime64[Y]").astype(int) + 1970
    months = births.astype("datetime64[M]")
    month = (months - births.astype("datetime64[Y]")).astype(int) + 1
    dom = (births - months).astype(int) + 1
    before_birthday = (month > day.month) | ((month == day.month) & (dom > day.day))
    age = day.year - years - before_birthday
    age = np.where(known_birth, np.maximum(age, 0), 0).astype(np.int32)
    relation = table[:, 2]
    relation[(relation == "") | (relation == None)] = "other"  # noqa: E711
    disability = table[:, 3]
    disability[disability == None] = ""  # noqa: E711
    has_record = table[:, 4] != None  # noqa: E711
    single_parent = np.nan_to_num(table[:, 5].astype(np.float64)) == 1
    values = table[:, 6:].astype(np.float64)  # None → nan
    missing = np.isnan(values)
    known = has_record & ~missing.any(axis=1)
    values[missing] = 0.0
    money = {field: values[:, i].copy() for i, field in enumerate(MONEY_FIELDS)}
    del values, missing
    # a household is complete when every member's money is known
    complete = np.bincount(person_household, weights=~known, minlength=n) == 0

    household_rows = _fetch(households.order_by("id").values_list("id", "dong_id"))
    hh_ids, hh_dong = (np.array(c, dtype=np.int64) for c in _columns(household_rows, 2))
    position, found = _index_of(hh_ids, ids.tolist())
    household_dong = np.where(found, hh_dong[position] if len(hh_dong) else 0, 0)

    # the household tables joined on the same household filter (no IN over every household)
    of_households: dict[str, bool | list[int]] = {"household__anonymised_at__isnull": True}
    if dong_ids is not None:
        of_households["household__dong_id__in"] = dong_ids
    region = np.full(n, "", dtype=object)
    crisis = np.zeros(n, dtype=bool)
    situations = _fetch(
        HouseholdSituation.objects.filter(**of_households).values_list(
            "household_id", "region", "crisis"
        )
    )
    if situations:
        hid, r, c = _columns(situations, 3)
        position, found = _index_of(ids, hid)
        region[position[found]] = np.array(r, dtype=object)[found]
        crisis[position[found]] = (np.array(c, dtype=object) != "")[found] & (
            np.array(c, dtype=object) != None  # noqa: E711
        )[found]
    region[region == None] = ""  # noqa: E711
    blank = np.flatnonzero(region == "")
    if len(blank):
        default_region = {
            dong.pk: region_default(dong)
            for dong in Area.objects.filter(pk__in=set(household_dong.tolist())).select_related(
                "parent__parent"
            )
        }
        region[blank] = [
            str(default_region.get(d, Region.METROPOLITAN)) for d in household_dong[blank].tolist()
        ]
    obligor_income = np.zeros(n)
    obligor_property = np.zeros(n)
    obligors = _fetch(
        SupportObligor.objects.filter(**of_households).values_list(
            "household_id", "annual_income", "assets"
        )
    )
    if obligors:
        hid, income_column, assets_column = _columns(obligors, 3)
        position, found = _index_of(ids, hid)
        income = np.nan_to_num(np.array(income_column, dtype=np.float64))
        assets = np.nan_to_num(np.array(assets_column, dtype=np.float64))
        np.maximum.at(obligor_income, position[found], income[found])
        np.maximum.at(obligor_property, position[found], assets[found])

    receipt = {p: np.zeros(n, dtype=bool) for p in PROGRAMMES}
    receipts_rows = _fetch(
        BenefitReceipt.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day),
            started_on__lte=day,
            **of_households,
        ).values_list("household_id", "programme")
    )
    if receipts_rows:
        hid, programme_column = _columns(receipts_rows, 2)
        position, found = _index_of(ids, hid)
        programme = np.array(programme_column, dtype=object)
        for p in PROGRAMMES:
            receipt[p][position[found & (programme == p)]] = True

    arrays: dict[str, Any] = {
        "period": period,
        "household": person_household,
        "age": age,
        "relation": relation.astype(str),
        "disability": disability.astype(str),
        "single_parent": single_parent,
        "region": region.astype(str),
        "crisis": crisis,
        "obligor_annual_income": obligor_income,
        "obligor_property": obligor_property,
        **money,
        **{f"receipt_{p}": receipt[p] for p in PROGRAMMES},
        "household_ids": ids,
        "household_dong": household_dong,
        "complete": complete,
        "resident_count": n_persons,
        "unknown_birth": int((~known_birth).sum()),
    }
    return arrays


# The last sweep ------------------------------------------------------------------------------


def sweep_dongs_for(user: User) -> list[Area]:
    """Dongs whose sweep results the user may see: gu team and administrators the gu's, dong
    staff their own."""
    if not user.is_authenticated or not user.is_hub_staff:
        return []
    return list(Area.objects.filter(pk__in=dong_ids_of(user)).order_by("code"))


def _sweep_row(row: list) -> dict:
    household_id, programmes = row
    return {
        "household_id": household_id,
        "programmes": programmes,
        "labels": [str(Programme(p).label) for p in programmes],
    }


def sweep_run_latest(*, user: User) -> dict | None:
    """The last sweep that covered a dong the user may see, reduced to those dongs."""
    dongs = sweep_dongs_for(user)
    if not dongs:
        return None
    visible = {d.pk: d for d in dongs}
    for run in SweepRun.objects.select_related("actor")[:20]:
        rows = []
        for dong_id, data in run.results.items():
            dong = visible.get(int(dong_id))
            if dong is None:
                continue
            rows.append(
                {
                    "dong": dong,
                    "households": data["households"],
                    "incomplete": data["incomplete"],
                    "blind_spots": [_sweep_row(r) for r in data["blind_spots"]],
                    "unqualified": [_sweep_row(r) for r in data["unqualified"]],
                }
            )
        if rows:
            rows.sort(key=lambda r: r["dong"].code)
            return {
                "run": run,
                "dongs": rows,
                "blind_spots": sum(len(r["blind_spots"]) for r in rows),
                "unqualified": sum(len(r["unqualified"]) for r in rows),
                "households": sum(r["households"] for r in rows),
                "incomplete": sum(r["incomplete"] for r in rows),
            }
    return None
