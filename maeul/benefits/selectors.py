"""Reads for the benefit pages and the sweep: a household's record turned into the rules'
payload and its evaluation; the registry turned into numpy arrays for ``evaluate_batch``;
the last sweep as the user may see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone, translation

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.benefits.models import (
    MONEY_FIELDS,
    HouseholdSituation,
    MeansRecord,
    Region,
    SupportObligor,
    SweepRun,
)
from maeul.benefits.rules import PROGRAMMES
from maeul.benefits.rules.evaluate import evaluate
from maeul.people.models import BenefitReceipt, Household, Programme
from maeul.people.selectors import dong_ids_of

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


def household_payload(household: Household, *, period: str) -> dict[str, Any]:
    """The rules' request body for a household of the registry (members prefetched or not).
    Unknown values are ``None`` (or absent, for the crisis question never asked), so the
    rules answer "needs more data" and name them."""
    day = period_first_day(period)
    members = list(household.members.all())
    means = {m.resident_id: m for m in MeansRecord.objects.filter(household=household)}
    situation = HouseholdSituation.objects.filter(household=household).first()
    obligors = list(SupportObligor.objects.filter(household=household))
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


def household_entitlements(*, user: User, household: Household, period: str | None = None) -> dict:
    """The household's evaluation for the page: each programme with status, amount, reason
    (current language), threshold, distance, the missing fields, whether it is received or
    already linked. Callers pass a household from ``household_get`` (scoped)."""
    from maeul.cases.models import Linkage

    period = period or current_period()
    payload = household_payload(household, period=period)
    result = evaluate(payload)
    received = receipts_current([household.pk], period_first_day(period)).get(household.pk, set())
    linked = set(
        Linkage.objects.filter(household=household, kind=Linkage.Kind.PUBLIC_BENEFIT)
        .exclude(status=Linkage.Status.DECLINED)
        .values_list("programme", flat=True)
    )
    rows = []
    for item in result["programmes"]:
        programme = item["id"]
        missing = []
        if item["entitled"] is None:
            text = item["reason"]["en"]
            missing = text.split(": ", 1)[1].split(", ") if ": " in text else []
        rows.append(
            {
                **item,
                "label": Programme(programme).label,
                "reason_text": reason_text(item["reason"]),
                "missing": missing,
                "received": programme in received,
                "linked": programme in linked,
                "can_link": bool(item["entitled"])
                and programme not in received
                and programme not in linked,
            }
        )
    return {"period": period, "programmes": rows, "payload": payload}


# The registry as arrays ---------------------------------------------------------------------


def registry_arrays(*, period: str, dong_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """All households of the dongs (or of the database) with their members, means, situation,
    obligors and current receipts, as ``evaluate_batch`` arrays — six ``values_list``
    queries, no model instances. Not scoped by a user: the sweep service passes the dongs the
    acting user may sweep.

    Extra keys (not read by the rules): ``household_ids``, ``household_dong`` (dong id per
    household), ``complete`` (every member's six money fields known), ``receipts``
    (household index → set of programmes)."""
    from maeul.people.models import Resident

    day = period_first_day(period)
    residents = Resident.objects.all()
    households = Household.objects.filter(anonymised_at__isnull=True)
    if dong_ids is not None:
        dong_ids = list(dong_ids)
        residents = residents.filter(household__dong_id__in=dong_ids)
        households = households.filter(dong_id__in=dong_ids)
    residents = residents.filter(household__anonymised_at__isnull=True)
    rows = list(
        residents.order_by("household_id", "id").values_list(
            "id", "household_id", "birth_date", "relation", "disability"
        )
    )
    dong_of = dict(households.values_list("id", "dong_id"))
    n_persons = len(rows)
    resident_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n_persons)
    person_hid = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n_persons)
    ids, person_household = np.unique(person_hid, return_inverse=True)
    n = len(ids)
    # ages: birth dates as ordinals, age = completed years on the period's first day
    known_birth = np.fromiter((r[2] is not None for r in rows), dtype=bool, count=n_persons)
    births = np.array([r[2] or day for r in rows], dtype="datetime64[D]")
    years = births.astype("datetime64[Y]").astype(int) + 1970
    months = births.astype("datetime64[M]")
    month = (months - births.astype("datetime64[Y]")).astype(int) + 1
    dom = (births - months).astype(int) + 1
    before_birthday = (month > day.month) | ((month == day.month) & (dom > day.day))
    age = day.year - years - before_birthday
    age = np.where(known_birth, np.maximum(age, 0), 0).astype(np.int32)

    index_of_resident = {rid: i for i, rid in enumerate(resident_ids.tolist())}
    money = {field: np.zeros(n_persons) for field in MONEY_FIELDS}
    known = np.zeros(n_persons, dtype=bool)
    single_parent = np.zeros(n_persons, dtype=bool)
    means = MeansRecord.objects.filter(resident_id__in=residents.values("id")).values_list(
        "resident_id", "single_parent", *MONEY_FIELDS
    )
    for row in means:
        i = index_of_resident.get(row[0])
        if i is None:
            continue
        single_parent[i] = bool(row[1])
        complete = True
        for field, value in zip(MONEY_FIELDS, row[2:], strict=True):
            if value is None:
                complete = False
            else:
                money[field][i] = value
        known[i] = complete
    # a household is complete when every member's money is known
    complete = np.bincount(person_household, weights=~known, minlength=n) == 0

    index_of_household = {hid: i for i, hid in enumerate(ids.tolist())}
    household_ids_qs = households.values("id")
    region = np.full(n, "", dtype=object)
    crisis = np.zeros(n, dtype=bool)
    for household_id, r, c in HouseholdSituation.objects.filter(
        household_id__in=household_ids_qs
    ).values_list("household_id", "region", "crisis"):
        i = index_of_household.get(household_id)
        if i is not None:
            region[i] = r
            crisis[i] = bool(c)
    default_region = {}
    household_dong = np.array([dong_of.get(h, 0) for h in ids.tolist()], dtype=np.int64)
    if (region == "").any():
        for dong in Area.objects.filter(pk__in=set(household_dong.tolist())).select_related(
            "parent__parent"
        ):
            default_region[dong.pk] = region_default(dong)
        blank = np.flatnonzero(region == "")
        region[blank] = [default_region.get(d, Region.METROPOLITAN) for d in household_dong[blank]]
    obligor_income = np.zeros(n)
    obligor_property = np.zeros(n)
    for household_id, income, assets in SupportObligor.objects.filter(
        household_id__in=household_ids_qs
    ).values_list("household_id", "annual_income", "assets"):
        i = index_of_household.get(household_id)
        if i is not None:
            obligor_income[i] = max(obligor_income[i], income or 0)
            obligor_property[i] = max(obligor_property[i], assets or 0)

    receipt = {p: np.zeros(n, dtype=bool) for p in PROGRAMMES}
    receipts_rows = BenefitReceipt.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        household_id__in=household_ids_qs,
        started_on__lte=day,
    ).values_list("household_id", "programme")
    for household_id, programme in receipts_rows:
        i = index_of_household.get(household_id)
        if i is not None and programme in receipt:
            receipt[programme][i] = True

    arrays: dict[str, Any] = {
        "period": period,
        "household": person_household,
        "age": age,
        "relation": np.array([r[3] or "other" for r in rows]),
        "disability": np.array([r[4] or "" for r in rows]),
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
