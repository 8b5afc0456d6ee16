"""What-if before a gu changes an ordinance line: the registry swept under the proposed line
beside the line in force — who gains, who loses, by dong and vulnerable group, and the
monthly budget — with nothing saved (no ``LocalRuleSetting``, no ``SweepRun``, no lead).

The same arrays (``registry_arrays``) and the same screening as the registry sweep
(``registry_sweep``: blind spots = entitled to a programme of a family the household receives
nothing from; unqualified = receives, no longer entitled; means-tested programmes only for
households whose means are all known), run twice: once with the gu's system in force
(``rules_system_for_gu``), once with the same lines plus the proposed value from the first day
of the month screened. A test checks that the two halves equal a sweep before and a sweep
after actually setting the line."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.benefits.models import LocalRuleSetting
from maeul.benefits.rules import PROGRAMMES
from maeul.benefits.rules.evaluate import evaluate_batch, parse_period
from maeul.benefits.rules.reforms import gu_system
from maeul.benefits.selectors import (
    AGE_ONLY,
    current_period,
    gu_of,
    local_parameters_cached,
    period_first_day,
    registry_arrays,
    rules_system_for_gu,
)
from maeul.benefits.services import FAMILIES, FAMILY_OF, LOCAL_BOUNDS, local_parameter_kind
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import Household
from maeul.people.selectors import dong_ids_of

_EXTRA_KEYS = {
    "household_ids",
    "household_dong",
    "complete",
    "resident_count",
    "unknown_birth",
    "receipts",
}


@dataclass
class Screening:
    """One sweep's findings per dong, as ``SweepRun.results`` has them, and the entitlements."""

    results: dict[str, dict[str, Any]]
    entitled: dict[str, np.ndarray]  # programme → bool per household (decided and entitled)
    budget: dict[str, float]  # programme → monthly amount over the entitled households
    amounts: np.ndarray  # per household: the amounts of every programme it is entitled to


@dataclass
class WhatIf:
    parameter: str
    value: float | int
    in_force: float | int | None
    period: str
    households: int
    current: Screening
    proposed: Screening
    programmes: list[dict] = field(
        default_factory=list
    )  # per programme: now, proposed, gain, lose, budgets
    by_dong: list[dict] = field(default_factory=list)
    by_group: list[dict] = field(default_factory=list)
    gainers: list[tuple[int, int, list[str]]] = field(
        default_factory=list
    )  # household, dong, programmes
    losers: list[tuple[int, int, list[str]]] = field(default_factory=list)

    @property
    def budget_now(self) -> float:
        return sum(self.current.budget.values())

    @property
    def budget_proposed(self) -> float:
        return sum(self.proposed.budget.values())


def proposed_value(parameter: str, value: Any) -> float | int:
    """The value as ``local_rule_set`` would accept it (same bounds), or a DomainError."""
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
    if not low <= number <= high:
        raise DomainError(
            "out_of_bounds",
            _("The value must lie between %(low)s and %(high)s.")
            % {"low": f"{low:,}", "high": f"{high:,}"},
            field="value",
        )
    if kind == "rate":
        return float(number)
    if number != number.to_integral_value():
        raise DomainError("out_of_bounds", _("Enter whole won."), field="value")
    return int(number)


def _screen(arrays: dict[str, Any], system: Any) -> Screening:
    rule_arrays = {k: v for k, v in arrays.items() if k not in _EXTRA_KEYS}
    ids = arrays["household_ids"]
    out = evaluate_batch(rule_arrays, system=system)
    complete = arrays["complete"]
    decided = {p: complete | (p in AGE_ONLY) for p in PROGRAMMES}
    family_received = {
        family: np.logical_or.reduce([arrays[f"receipt_{p}"] for p in programmes])
        for family, programmes in FAMILIES.items()
    }
    entitled = {p: out[p] & decided[p] for p in PROGRAMMES}
    blind = {p: entitled[p] & ~family_received[FAMILY_OF[p]] for p in PROGRAMMES}
    unqualified = {p: out[f"unqualified_{p}"] & decided[p] for p in PROGRAMMES}
    amounts = np.zeros(len(ids))
    budget = {}
    for p in PROGRAMMES:
        paid = (
            np.where(entitled[p], np.asarray(out[f"{p}_amount"], dtype=float), 0.0)
            if f"{p}_amount" in out
            else 0.0
        )
        amounts = amounts + paid
        budget[p] = float(np.sum(paid))
    dong_of = arrays["household_dong"]
    ids_list = ids.tolist()
    results: dict[str, dict[str, Any]] = {}
    for dong_id in np.unique(dong_of).tolist():
        in_dong = dong_of == dong_id
        entry: dict[str, Any] = {
            "households": int(in_dong.sum()),
            "incomplete": int((in_dong & ~complete).sum()),
            "blind_spots": [],
            "unqualified": [],
        }
        for i in np.flatnonzero(in_dong).tolist():
            found = [p for p in PROGRAMMES if blind[p][i]]
            if found:
                entry["blind_spots"].append([ids_list[i], found])
            lost = [p for p in PROGRAMMES if unqualified[p][i]]
            if lost:
                entry["unqualified"].append([ids_list[i], lost])
        results[str(dong_id)] = entry
    return Screening(results=results, entitled=entitled, budget=budget, amounts=amounts)


def _proposed_system(gu: Area, parameter: str, value: float | int, day: dt.date) -> Any:
    """The gu's lines as ``rules_system_for_gu`` builds them, the proposed value of one line
    from ``day`` on (its later settings dropped: the month screened is what counts)."""
    known = {p["path"] for p in local_parameters_cached()}
    overrides: dict[str, list] = {}
    for parameter_, valid_from, stored in (
        LocalRuleSetting.objects.filter(gu=gu)
        .order_by("valid_from", "changed_at", "id")
        .values_list("parameter", "valid_from", "value")
    ):
        if parameter_ not in known or (parameter_ == parameter and valid_from >= day):
            continue
        number = int(stored) if stored == stored.to_integral_value() else float(stored)
        overrides.setdefault(parameter_, []).append((valid_from, number))
    overrides.setdefault(parameter, []).append((day, value))
    return gu_system(overrides)


def ordinance_whatif(
    *, actor: User, parameter: str, value: Any, period: str | None = None
) -> WhatIf:
    """Sweep the gu's registry under its lines in force and under the proposed value of one
    line, for the month ``period``; who gains and who loses an entitlement, by dong and group,
    and the monthly budget of each programme under both. Gu team and administrators (who may
    change the lines); nothing is written."""
    if not actor.is_authenticated or not actor.is_gu_level:
        raise PermissionDenied(_("Only the gu team and administrators may change the gu's lines."))
    gu = gu_of(actor)
    if gu is None:
        raise NotFound()
    try:
        period = parse_period(period or current_period())
    except ValueError as exc:
        raise DomainError("invalid_period", str(exc), field="period") from exc
    number = proposed_value(parameter, value)
    day = period_first_day(period)
    dong_ids = sorted(dong_ids_of(actor))
    arrays = registry_arrays(period=period, dong_ids=dong_ids)
    current_system = rules_system_for_gu(gu.pk)
    system = current_system if current_system is not None else gu_system({})
    in_force = system.parameters(day.isoformat()).local
    for part in parameter.split("."):
        in_force = getattr(in_force, part)
    ids = arrays["household_ids"]
    if not len(ids):
        empty = Screening(
            results={}, entitled={}, budget={p: 0.0 for p in PROGRAMMES}, amounts=np.zeros(0)
        )
        return WhatIf(parameter, number, in_force, period, 0, empty, empty)
    current = _screen(arrays, current_system)
    proposed = _screen(arrays, _proposed_system(gu, parameter, number, day))
    result = WhatIf(
        parameter=parameter,
        value=number,
        in_force=float(in_force) if isinstance(in_force, float) else in_force,
        period=period,
        households=len(ids),
        current=current,
        proposed=proposed,
    )
    dong_of = arrays["household_dong"]
    groups = dict(Household.objects.filter(pk__in=ids.tolist()).values_list("pk", "groups"))
    names = dict(Area.objects.filter(pk__in=dong_ids).values_list("pk", "name"))
    group_labels = dict(Household.Group.choices)
    gain_any = np.zeros(len(ids), dtype=bool)
    lose_any = np.zeros(len(ids), dtype=bool)
    gained: dict[int, list[str]] = defaultdict(list)
    lost: dict[int, list[str]] = defaultdict(list)
    for p in PROGRAMMES:
        now, new = current.entitled[p], proposed.entitled[p]
        gain, lose = new & ~now, now & ~new
        gain_any |= gain
        lose_any |= lose
        for i in np.flatnonzero(gain).tolist():
            gained[i].append(p)
        for i in np.flatnonzero(lose).tolist():
            lost[i].append(p)
        if now.any() or new.any():
            result.programmes.append(
                {
                    "programme": p,
                    "now": int(now.sum()),
                    "proposed": int(new.sum()),
                    "gain": int(gain.sum()),
                    "lose": int(lose.sum()),
                    "budget_now": current.budget[p],
                    "budget_proposed": proposed.budget[p],
                }
            )
    ids_list = ids.tolist()
    result.gainers = [(ids_list[i], int(dong_of[i]), ps) for i, ps in sorted(gained.items())]
    result.losers = [(ids_list[i], int(dong_of[i]), ps) for i, ps in sorted(lost.items())]
    for dong_id in np.unique(dong_of).tolist():
        in_dong = dong_of == dong_id
        result.by_dong.append(
            {
                "dong_id": int(dong_id),
                "dong": names.get(int(dong_id), ""),
                "households": int(in_dong.sum()),
                "gain": int((gain_any & in_dong).sum()),
                "lose": int((lose_any & in_dong).sum()),
                "budget_now": float(current.amounts[in_dong].sum()),
                "budget_proposed": float(proposed.amounts[in_dong].sum()),
                "budget_change": float(
                    proposed.amounts[in_dong].sum() - current.amounts[in_dong].sum()
                ),
            }
        )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i, household_id in enumerate(ids_list):
        for group in groups.get(household_id) or ["none"]:
            counts[group][0] += 1
            counts[group][1] += int(gain_any[i])
            counts[group][2] += int(lose_any[i])
    result.by_group = [
        {
            "group": group,
            "label": str(group_labels.get(group, _("no vulnerable group recorded"))),
            "households": c[0],
            "gain": c[1],
            "lose": c[2],
        }
        for group, c in sorted(counts.items(), key=lambda kv: -kv[1][0])
    ]
    return result
