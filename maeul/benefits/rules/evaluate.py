"""The rules engine's Python API for the rest of maeul.

``evaluate(payload)`` screens one household (the API request body) and explains each result in
Korean and English; ``evaluate_batch(arrays)`` screens many households at once in ONE
OpenFisca simulation built from numpy arrays (the registry sweep). Both share
:func:`simulate`, so a household gets the same answer either way.

Bad input raises ``ValueError`` with a message naming the field (the API maps it to 400/422).
Missing data (a key absent, or ``None`` where ``None`` is not a meaningful value) does not
raise: each programme that needs that data answers ``entitled: None`` and names the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from maeul.benefits.rules import CRISIS_SITUATIONS, PROGRAMMES, tax_benefit_system

REGIONS: tuple[str, ...] = ("metropolitan", "city", "rural")
#: Household role of each registry relation (index into the entity's roles). The registry's
#: grandchild and sibling are "other" members for these rules.
ROLE_INDEX: dict[str, int] = {
    "head": 0,
    "spouse": 1,
    "child": 2,
    "parent": 3,
    "other": 4,
    "grandchild": 4,
    "sibling": 4,
}
MONEY_FIELDS: tuple[str, ...] = (
    "earned_income",
    "other_income",
    "assets_general",
    "assets_financial",
    "debts",
    "car_value",
)
DISABILITIES = (None, "", "mild", "severe")
PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_PERIOD = "2025-01"  # the parameters start on 2025-01-01

# Household variables each programme reports: (entitled, amount or None, line, measure).
_HOUSEHOLD_OUTPUTS: dict[str, tuple[str | None, str | None, str | None]] = {
    "nbls_livelihood": ("nbls_livelihood_amount", "nbls_livelihood_line", "recognised_income"),
    "nbls_medical": (None, "nbls_medical_line", "recognised_income"),
    "nbls_housing": (None, "nbls_housing_line", "recognised_income"),
    "nbls_education": (None, "nbls_education_line", "recognised_income"),
    "near_poor": (None, "near_poor_line", "recognised_income"),
    "basic_pension": ("basic_pension_amount", None, None),
    "disability_pension": ("disability_pension_amount", None, None),
    "single_parent": ("single_parent_amount", "single_parent_line", "recognised_income"),
    "emergency_welfare": ("emergency_welfare_amount", "emergency_welfare_line", "monthly_income"),
    "child_allowance": ("child_allowance_amount", None, None),
    "local_emergency_aid": (
        "local_emergency_aid_amount",
        "local_emergency_aid_line",
        "monthly_income",
    ),
    "local_livelihood": ("local_livelihood_amount", "local_livelihood_line", "recognised_income"),
}

_LINE_LABEL: dict[str, tuple[str, str]] = {
    "nbls_livelihood": ("생계급여 선정기준", "livelihood line"),
    "nbls_medical": ("의료급여 선정기준", "medical benefit line"),
    "nbls_housing": ("주거급여 선정기준", "housing benefit line"),
    "nbls_education": ("교육급여 선정기준", "education benefit line"),
    "near_poor": ("차상위 기준(50%)", "near-poor line (50%)"),
    "single_parent": ("한부모가족 지원 선정기준", "single-parent support line"),
    "emergency_welfare": ("긴급지원 소득기준", "emergency support income line"),
    "local_emergency_aid": ("구 긴급지원 소득기준", "gu emergency aid income line"),
    "local_livelihood": ("구 생활안정 지원 기준", "gu livelihood support line"),
    "basic_pension": ("기초연금 선정기준액", "Basic Pension selection line"),
    "disability_pension": ("장애인연금 선정기준액", "Disability Pension selection line"),
}
_MEASURE_LABEL = {
    "recognised_income": ("소득인정액", "recognised income"),
    "monthly_income": ("월 소득", "monthly income"),
    "pension_recognised_income": ("소득인정액", "recognised income"),
}


# Simulation ---------------------------------------------------------------------------------


def parse_period(period: Any) -> str:
    """'YYYY-MM' from 2025-01 on (the first month the parameters cover)."""
    match = PERIOD_RE.match(period) if isinstance(period, str) else None
    if match is None:
        raise ValueError(f"period must be a month 'YYYY-MM', got {period!r}")
    year, month = (int(x) for x in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"period {period!r} has no month {month}")
    if period < FIRST_PERIOD:
        raise ValueError(f"period {period!r} is before {FIRST_PERIOD}, the first month with rules")
    return period


def simulate(
    *,
    period: str,
    person_household: np.ndarray,
    person_role: np.ndarray,
    person_inputs: Mapping[str, np.ndarray],
    household_inputs: Mapping[str, np.ndarray],
    n_households: int,
    system: TaxBenefitSystem | None = None,
) -> Simulation:
    """One OpenFisca simulation for all the households given (persons point to their
    household by index 0..n_households-1; roles are indexes of ``ROLE_INDEX``)."""
    system = system or tax_benefit_system()
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", np.arange(len(person_household)))
    households = builder.declare_entity("household", np.arange(n_households))
    builder.join_with_persons(households, person_household, roles=person_role)
    simulation = builder.build(system)
    for name, values in person_inputs.items():
        simulation.set_input(name, period, values)
    for name, values in household_inputs.items():
        simulation.set_input(name, period, values)
    return simulation


# One household ------------------------------------------------------------------------------


def _krw(value: float) -> str:
    return f"{int(round(value)):,}"


def _persons(n: int) -> tuple[str, str]:
    return f"{n}인 가구", f"{n} person" if n == 1 else f"{n} persons"


def _number(value: Any, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{field} must be a number of KRW, got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{field} must be a finite number")
    if value < 0:
        raise ValueError(f"{field} must not be negative, got {value!r}")
    return float(value)


class _Household:
    """A validated payload: values with missing ones set to a neutral default, and the
    paths of the missing ones."""

    def __init__(self, payload: Any) -> None:
        if not isinstance(payload, Mapping):
            raise ValueError("the request body must be an object")
        self.period = parse_period(payload.get("period"))
        household = payload.get("household")
        if not isinstance(household, Mapping):
            raise ValueError("household must be an object")
        self.region = household.get("region")
        if self.region not in REGIONS:
            raise ValueError(
                f"household.region must be one of {', '.join(REGIONS)}, got {self.region!r}"
            )
        members = household.get("members")
        if not isinstance(members, list) or not members:
            raise ValueError("household.members must be a non-empty list")
        self.missing: dict[str, list[str]] = {}  # field kind -> paths
        self.members: list[dict[str, Any]] = []
        for i, member in enumerate(members):
            self.members.append(self._member(i, member))
        relations = [m["relation"] for m in self.members]
        if relations.count("head") != 1:
            raise ValueError("household.members must have exactly one member with relation 'head'")
        if relations.count("spouse") > 1:
            raise ValueError("household.members may have at most one 'spouse'")
        obligors = household.get("support_obligors") or []
        if not isinstance(obligors, list):
            raise ValueError("household.support_obligors must be a list")
        self.obligor_income = 0.0
        self.obligor_property = 0.0
        for i, obligor in enumerate(obligors):
            if not isinstance(obligor, Mapping):
                raise ValueError(f"support_obligors[{i}] must be an object")
            for key, attr in (("annual_income", "obligor_income"), ("assets", "obligor_property")):
                path = f"support_obligors[{i}].{key}"
                value = _number(obligor.get(key), path)
                if value is None:
                    self.missing.setdefault("obligor", []).append(path)
                else:
                    setattr(self, attr, max(getattr(self, attr), value))
        if "crisis" not in household:
            self.crisis: str | None = None
            self.missing.setdefault("crisis", []).append("household.crisis")
        else:
            self.crisis = household["crisis"] or None
            if self.crisis is not None and self.crisis not in CRISIS_SITUATIONS:
                raise ValueError(
                    f"household.crisis must be null or one of {', '.join(CRISIS_SITUATIONS)}, "
                    f"got {self.crisis!r}"
                )

    def _member(self, i: int, member: Any) -> dict[str, Any]:
        prefix = f"members[{i}]"
        if not isinstance(member, Mapping):
            raise ValueError(f"{prefix} must be an object")
        relation = member.get("relation")
        if relation not in ROLE_INDEX:
            raise ValueError(
                f"{prefix}.relation must be one of head, spouse, child, parent, other, "
                f"got {relation!r}"
            )
        out: dict[str, Any] = {"relation": relation, "missing": set()}
        age = member.get("age")
        if age is None:
            out["missing"].add("age")
            out["age"] = 0
        elif isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
            raise ValueError(f"{prefix}.age must be a whole number of years 0–130, got {age!r}")
        else:
            out["age"] = age
        for field in MONEY_FIELDS:
            value = _number(member.get(field), f"{prefix}.{field}")
            if value is None:
                out["missing"].add(field)
            out[field] = value or 0.0
        if "disability" not in member:
            out["missing"].add("disability")
            out["disability"] = None
        else:
            if member["disability"] not in DISABILITIES:
                raise ValueError(
                    f"{prefix}.disability must be null, 'mild' or 'severe', "
                    f"got {member['disability']!r}"
                )
            out["disability"] = member["disability"] or None
        single = member.get("single_parent")
        if single is None:
            out["missing"].add("single_parent")
            out["single_parent"] = False
        elif not isinstance(single, bool):
            raise ValueError(f"{prefix}.single_parent must be true or false, got {single!r}")
        else:
            out["single_parent"] = single
        return out

    def missing_in(self, fields: set[str], members: list[int] | None = None) -> list[str]:
        indexes = range(len(self.members)) if members is None else members
        return [
            f"members[{i}].{field}"
            for i in indexes
            for field in sorted(fields & self.members[i]["missing"])
        ]

    def simulation(self, system: TaxBenefitSystem | None = None) -> Simulation:
        n = len(self.members)
        person = {
            "age": np.array([m["age"] for m in self.members], dtype=np.int32),
            "severe_disability": np.array([m["disability"] == "severe" for m in self.members]),
            "is_single_parent": np.array([m["single_parent"] for m in self.members]),
        }
        for field in MONEY_FIELDS:
            person[field] = np.array([m[field] for m in self.members], dtype=np.float64)
        household = {
            "region": np.array([REGIONS.index(self.region)]),
            "in_crisis": np.array([self.crisis is not None]),
            "obligor_annual_income": np.array([self.obligor_income]),
            "obligor_property": np.array([self.obligor_property]),
        }
        return simulate(
            period=self.period,
            person_household=np.zeros(n, dtype=np.int32),
            person_role=np.array([ROLE_INDEX[m["relation"]] for m in self.members]),
            person_inputs=person,
            household_inputs=household,
            n_households=1,
            system=system,
        )


def _result(
    programme: str,
    entitled: bool | None,
    amount: float | None,
    ko: str,
    en: str,
    threshold: float | None = None,
    measure: float | None = None,
) -> dict[str, Any]:
    return {
        "id": programme,
        "entitled": entitled,
        "amount": None if amount is None or entitled is None else int(round(amount)),
        "reason": {"ko": ko, "en": en},
        "threshold": None if threshold is None else int(round(threshold)),
        "distance": None
        if threshold is None or measure is None
        else int(round(threshold - measure)),
    }


def _missing_result(programme: str, paths: list[str]) -> dict[str, Any]:
    listed = ", ".join(paths)
    return _result(
        programme,
        None,
        None,
        f"판단에 필요한 자료가 없습니다: {listed}",
        f"missing data needed to decide: {listed}",
    )


def _line_reason(
    programme: str, measure_name: str, measure: float, line: float, size: int
) -> tuple[str, str]:
    line_ko, line_en = _LINE_LABEL[programme]
    measure_ko, measure_en = _MEASURE_LABEL[measure_name]
    persons_ko, persons_en = _persons(size)
    if measure <= line:
        return (
            f"{measure_ko} {_krw(measure)}원이 {persons_ko} {line_ko} {_krw(line)}원 이하입니다",
            f"{measure_en} ₩{_krw(measure)} is within the {line_en} ₩{_krw(line)} for {persons_en}",
        )
    return (
        f"{measure_ko} {_krw(measure)}원이 {persons_ko} {line_ko} {_krw(line)}원을 초과합니다",
        f"{measure_en} ₩{_krw(measure)} is above the {line_en} ₩{_krw(line)} for {persons_en}",
    )


_MONEY = set(MONEY_FIELDS)
_RELATION_KO = {"head": "세대주", "spouse": "배우자", "child": "자녀", "parent": "부모"}


def evaluate(payload: dict, *, system: TaxBenefitSystem | None = None) -> dict:
    """Screen one household for every programme (see the module docstring). ``system``: a
    reformed system (e.g. :func:`maeul.benefits.rules.reforms.gu_system`), default the
    package's."""
    h = _Household(payload)
    system = system or tax_benefit_system()
    sim = h.simulation(system)
    period = h.period
    params = system.parameters(f"{period}-01")

    def value(name: str) -> Any:
        return sim.calculate(name, period)[0]

    def person_values(name: str) -> np.ndarray:
        return sim.calculate(name, period)

    size = len(h.members)
    results: list[dict[str, Any]] = []
    money_missing = h.missing_in(_MONEY)
    obligor_missing = h.missing.get("obligor", [])

    for programme in PROGRAMMES:
        amount_var, line_var, measure_var = _HOUSEHOLD_OUTPUTS[programme]
        needs: list[str] = list(money_missing)
        if programme in ("nbls_livelihood", "nbls_medical", "near_poor", "local_livelihood"):
            needs += obligor_missing
        if programme == "nbls_education":
            needs += h.missing_in({"age"})
        if programme == "single_parent":
            needs += h.missing_in({"age", "single_parent"})
        if programme in ("emergency_welfare", "local_emergency_aid"):
            needs += h.missing.get("crisis", [])
        if programme == "child_allowance":
            needs = h.missing_in({"age"})
        if programme in ("basic_pension", "disability_pension"):
            results.append(_pension(programme, h, sim, person_values, params))
            continue
        if needs:
            results.append(_missing_result(programme, needs))
            continue
        entitled = bool(value(programme))
        amount = float(value(amount_var)) if amount_var else None
        if programme == "child_allowance":
            p = params.family.child_allowance
            count = int(value("child_allowance_children"))
            if entitled:
                ko = f"만 {p.max_age}세 미만 아동 {count}명 × {_krw(p.amount)}원"
                en = f"{count} child(ren) under {p.max_age} × ₩{_krw(p.amount)}"
            else:
                ko = f"만 {p.max_age}세 미만 아동이 없습니다"
                en = f"no child under {p.max_age} in the household"
            results.append(_result(programme, entitled, amount, ko, en))
            continue
        if line_var is None or measure_var is None:
            # every programme not answered above has a line and a measure in _HOUSEHOLD_OUTPUTS
            raise ValueError(f"{programme}: no selection line or measure in _HOUSEHOLD_OUTPUTS")
        line = float(value(line_var))
        measure = float(value(measure_var))
        ko, en = _line_reason(programme, measure_var, measure, line, size)
        # the conditions other than the line, in the order a counsellor checks them
        if programme == "nbls_livelihood" and bool(value("obligor_excludes_livelihood")):
            ko += f"; 다만 부양의무자 소득(연 {_krw(h.obligor_income)}원) 또는 재산이 기준을 초과하여 제외됩니다"
            en += f"; but a support obligor's income (₩{_krw(h.obligor_income)} a year) or property is above the high-earner limit"
        if programme == "nbls_medical" and bool(value("obligor_excludes_medical")):
            ko += "; 다만 부양능력이 있는 부양의무자가 있어 제외됩니다"
            en += "; but a support obligor is able to support the household"
        if programme == "nbls_education" and int(value("school_age_members")) == 0:
            ko += "; 다만 학령기(초·중·고) 가구원이 없습니다"
            en += "; but no member is of school age"
        if programme == "near_poor" and (
            bool(value("nbls_livelihood")) or bool(value("nbls_medical"))
        ):
            ko += "; 생계·의료급여 수급 대상이므로 차상위에 해당하지 않습니다"
            en += "; the livelihood or medical benefit applies instead"
        if programme == "local_livelihood" and bool(value("nbls_livelihood")):
            ko += "; 국가 생계급여 대상이므로 구 지원 대상이 아닙니다"
            en += "; the national livelihood benefit applies instead"
        if programme == "single_parent" and int(value("single_parent_children")) == 0:
            ko += "; 다만 18세 미만 자녀를 양육하는 한부모가 없습니다"
            en += "; but no single parent raising a child under 18"
        if programme in ("emergency_welfare", "local_emergency_aid"):
            if h.crisis is None:
                ko += "; 다만 위기사유가 없습니다"
                en += "; but no crisis situation is recorded"
            elif programme == "emergency_welfare" and not bool(
                value("emergency_welfare_property_ok")
            ):
                ko += "; 다만 재산(일반·금융)이 지역 기준을 초과합니다"
                en += "; but property (general or financial) is above the regional limit"
            elif programme == "local_emergency_aid" and bool(value("emergency_welfare")):
                ko += "; 국가 긴급지원 대상이므로 구 긴급지원 대상이 아닙니다"
                en += "; national emergency support applies instead"
            elif programme == "local_emergency_aid" and not entitled and measure <= line:
                ko += "; 다만 재산이 구 기준을 초과합니다"
                en += "; but property is above the gu's limit"
        if entitled and amount:
            ko += f" (월 {_krw(amount)}원)"
            en += f" (₩{_krw(amount)} a month)"
        results.append(_result(programme, entitled, amount, ko, en, line, measure))
    return {"programmes": results}


def _pension(programme: str, h: _Household, sim: Simulation, person_values, params) -> dict:
    """Basic / Disability Pension: decided person by person on the person-and-spouse unit;
    the household is entitled when a member is. Threshold and distance are those of the
    first candidate member."""
    ages_missing = h.missing_in({"age"})
    if programme == "basic_pension":
        min_age = params.pensions.basic_pension.min_age
        if ages_missing:
            return _missing_result(programme, ages_missing)
        candidates = [i for i, m in enumerate(h.members) if m["age"] >= min_age]
        none_ko, none_en = (
            f"만 {min_age}세 이상 가구원이 없습니다",
            f"no member aged {min_age} or over",
        )
    else:
        min_age = params.pensions.disability_pension.min_age
        missing = h.missing_in({"disability"})
        if missing:
            return _missing_result(programme, missing)
        severe = [i for i, m in enumerate(h.members) if m["disability"] == "severe"]
        missing = h.missing_in({"age"}, severe)
        if missing:
            return _missing_result(programme, missing)
        candidates = [i for i in severe if h.members[i]["age"] >= min_age]
        none_ko, none_en = (
            f"만 {min_age}세 이상 중증장애인 가구원이 없습니다",
            f"no member aged {min_age} or over with a severe disability",
        )
    if not candidates:
        return _result(programme, False, 0, none_ko, none_en)
    couple = person_values("pension_couple")
    unit: set[int] = set()
    for i in candidates:
        unit.add(i)
        if couple[i]:
            unit |= {j for j, m in enumerate(h.members) if m["relation"] in ("head", "spouse")}
    missing = h.missing_in(_MONEY, sorted(unit))
    if missing:
        return _missing_result(programme, missing)
    eligible = person_values(f"{programme}_person")
    lines = person_values(f"{programme}_line")
    measures = person_values("pension_recognised_income")
    chosen = next((i for i in candidates if eligible[i]), candidates[0])
    line_ko, line_en = _LINE_LABEL[programme]
    unit_ko, unit_en = ("부부가구", "couple") if couple[chosen] else ("단독가구", "single")
    measure, line = float(measures[chosen]), float(lines[chosen])
    relation = h.members[chosen]["relation"]
    relation_ko = _RELATION_KO.get(relation, "가구원")
    if measure <= line:
        ko = f"{relation_ko}의 소득인정액 {_krw(measure)}원이 {unit_ko} {line_ko} {_krw(line)}원 이하입니다"
        en = f"recognised income of the {relation} ₩{_krw(measure)} is within the {line_en} ₩{_krw(line)} ({unit_en})"
    else:
        ko = f"{relation_ko}의 소득인정액 {_krw(measure)}원이 {unit_ko} {line_ko} {_krw(line)}원을 초과합니다"
        en = f"recognised income of the {relation} ₩{_krw(measure)} is above the {line_en} ₩{_krw(line)} ({unit_en})"
    entitled = bool(sim.calculate(programme, h.period)[0])
    amount = float(sim.calculate(f"{programme}_amount", h.period)[0])
    if entitled:
        ko += f" (가구 합계 월 {_krw(amount)}원)"
        en += f" (₩{_krw(amount)} a month for the household)"
    return _result(programme, entitled, amount, ko, en, line, measure)


# Many households ----------------------------------------------------------------------------


def _codes(values: np.ndarray, allowed: dict[str, int], field: str) -> np.ndarray:
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.integer):
        if len(values) and (values.min() < 0 or values.max() >= max(allowed.values()) + 1):
            raise ValueError(f"{field} has a code out of range")
        return values
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    unknown = [u for u in uniques if u not in allowed]
    if unknown:
        raise ValueError(f"{field} has unknown values: {', '.join(unknown[:5])}")
    return np.array([allowed[u] for u in uniques], dtype=np.int16)[inverse]


def evaluate_batch(
    arrays: Mapping[str, Any], *, system: TaxBenefitSystem | None = None
) -> dict[str, np.ndarray]:
    """Screen N households at once (one simulation). ``arrays``:

    - ``period``: 'YYYY-MM' (default: the current month in Seoul)
    - per person (same length): ``household`` (index 0..N-1), ``age``, ``relation`` (str or
      ROLE_INDEX code), the money fields of ``MONEY_FIELDS`` (each optional, default 0),
      ``disability`` ('', 'mild', 'severe', or a boolean array meaning severe) and
      ``single_parent`` (bool), both optional
    - per household (length N): ``region`` (str or index of REGIONS), ``crisis`` (bool, or
      crisis code / '' for none; optional), ``obligor_annual_income`` and
      ``obligor_property`` (optional), ``receipt_<programme>`` (bool, optional)

    Returns for every programme ``<id>`` (bool) and ``<id>_amount`` (float, where modelled),
    and for each receipt flag given ``unqualified_<id>`` (receives, not entitled) and
    ``blind_spot_<id>`` (entitled, does not receive)."""
    period = arrays.get("period") or dt.datetime.now(dt.UTC).astimezone(
        dt.timezone(dt.timedelta(hours=9))
    ).strftime("%Y-%m")
    period = parse_period(period)
    person_household = np.asarray(arrays["household"], dtype=np.int64)
    n_persons = len(person_household)
    region = _codes(arrays["region"], {r: i for i, r in enumerate(REGIONS)}, "region")
    n_households = len(region)
    if n_persons and (person_household.min() < 0 or person_household.max() >= n_households):
        raise ValueError("household indexes must lie in 0..len(region)-1")
    if len(np.unique(person_household)) != n_households:
        raise ValueError("every household must have at least one person")

    def person_array(name: str, dtype, default) -> np.ndarray:
        if name not in arrays:
            return np.full(n_persons, default, dtype=dtype)
        values = np.asarray(arrays[name], dtype=dtype)
        if values.shape != (n_persons,):
            raise ValueError(f"{name} must have one value per person ({n_persons})")
        if np.issubdtype(values.dtype, np.number) and (values < 0).any():
            raise ValueError(f"{name} must not be negative")
        return values

    person_inputs: dict[str, np.ndarray] = {"age": person_array("age", np.int32, 0)}
    for field in MONEY_FIELDS:
        person_inputs[field] = person_array(field, np.float64, 0.0)
    disability = np.asarray(arrays.get("disability", np.zeros(n_persons, dtype=bool)))
    person_inputs["severe_disability"] = (
        disability if disability.dtype == bool else disability.astype(str) == "severe"
    )
    person_inputs["is_single_parent"] = person_array("single_parent", bool, False)
    role = _codes(arrays["relation"], ROLE_INDEX, "relation")

    crisis = np.asarray(arrays.get("crisis", np.zeros(n_households, dtype=bool)))
    if crisis.dtype != bool:
        codes = crisis.astype(str)
        unknown = set(np.unique(codes)) - set(CRISIS_SITUATIONS) - {"", "None"}
        if unknown:
            raise ValueError(f"crisis has unknown codes: {', '.join(sorted(unknown))}")
        crisis = (codes != "") & (codes != "None")
    household_inputs = {
        "region": region,
        "in_crisis": crisis,
        "obligor_annual_income": np.asarray(
            arrays.get("obligor_annual_income", np.zeros(n_households)), dtype=np.float64
        ),
        "obligor_property": np.asarray(
            arrays.get("obligor_property", np.zeros(n_households)), dtype=np.float64
        ),
    }
    sim = simulate(
        period=period,
        person_household=person_household,
        person_role=role,
        person_inputs=person_inputs,
        household_inputs=household_inputs,
        n_households=n_households,
        system=system,
    )
    out: dict[str, np.ndarray] = {}
    for programme in PROGRAMMES:
        out[programme] = sim.calculate(programme, period)
        amount_var = _HOUSEHOLD_OUTPUTS[programme][0]
        if amount_var:
            out[f"{programme}_amount"] = sim.calculate(amount_var, period)
        receipt = arrays.get(f"receipt_{programme}")
        if receipt is not None:
            receipt = np.asarray(receipt, dtype=bool)
            out[f"unqualified_{programme}"] = receipt & ~out[programme]
            out[f"blind_spot_{programme}"] = out[programme] & ~receipt
    return out
