"""The catalogue of crisis signals: Korean and English names of the national categories of
crisis data the blind-spot discovery system (복지사각지대 발굴관리시스템) collects, the unit of
their value, and how a signal is said in plain words on a screening list.

The pipeline never depends on this list: it learns the signal codes from the data it is given
(``features.signal_codes``). A code that is not catalogued is shown by its code, so a new kind
of data can flow in before anyone writes its name here. docs/screening.md has the table."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class SignalKind:
    code: str
    ko: str
    en: str
    #: what ``value`` holds: "months" (months in arrears), "krw" (an amount) or "" (nothing)
    unit: str = ""


CATALOGUE: dict[str, SignalKind] = {
    k.code: k
    for k in [
        SignalKind("electricity_arrears", "전기요금 체납", "electricity arrears", "months"),
        SignalKind("electricity_cut", "단전", "electricity cut off"),
        SignalKind("water_arrears", "수도요금 체납", "water arrears", "months"),
        SignalKind("water_cut", "단수", "water cut off"),
        SignalKind("gas_arrears", "가스요금 체납", "gas arrears", "months"),
        SignalKind("gas_cut", "가스 공급 중단", "gas cut off"),
        SignalKind(
            "health_insurance_arrears", "건강보험료 체납", "health insurance arrears", "months"
        ),
        SignalKind("pension_arrears", "국민연금 보험료 체납", "national pension arrears", "months"),
        SignalKind("telecom_arrears", "통신비 체납", "phone bill arrears", "months"),
        SignalKind("rent_arrears", "공공임대주택 임차료 체납", "public rental arrears", "months"),
        SignalKind(
            "maintenance_fee_arrears", "공동주택 관리비 체납", "maintenance fee arrears", "months"
        ),
        SignalKind("job_loss", "고용보험 상실(실직)", "job loss (employment insurance ended)"),
        SignalKind("business_closure", "휴·폐업", "business suspended or closed"),
        SignalKind("financial_delinquency", "금융 연체", "loan or card delinquency", "krw"),
        SignalKind("catastrophic_medical", "재난적 의료비", "catastrophic medical costs", "krw"),
        SignalKind("medical_use", "잦은 의료 이용", "frequent medical use"),
        SignalKind("head_death", "주소득자 사망", "death of the main earner"),
        SignalKind("suicide_risk", "자살 고위험", "suicide risk"),
        SignalKind("crime_victim", "범죄 피해", "crime victim"),
        SignalKind("disaster", "재난 피해", "disaster damage"),
        SignalKind("housing_vulnerable", "주거 취약(고시원·쪽방 등)", "precarious housing"),
        SignalKind("industrial_accident", "산업재해", "industrial accident"),
        SignalKind(
            "benefit_rejected",
            "기초생활보장 탈락·중지",
            "basic livelihood benefit refused or stopped",
        ),
        SignalKind("facility_exit", "복지시설 퇴소", "left a welfare facility"),
    ]
}


def _korean() -> bool:
    return (get_language() or "ko").startswith("ko")


def signal_name(code: str) -> str:
    """The signal's name in the active language; an uncatalogued code is its own name."""
    kind = CATALOGUE.get(code)
    if kind is None:
        return code
    return kind.ko if _korean() else kind.en


def signal_phrase(code: str, value: float | None) -> str:
    """A signal in plain words with its value: "전기요금 체납 4개월" / "electricity arrears
    4 months"; an amount in won; an uncatalogued code with its value as it came."""
    name = signal_name(code)
    kind = CATALOGUE.get(code)
    if value is None or value != value:  # NaN: no value
        return name
    if kind is None:
        return f"{name} {value:g}"
    if kind.unit == "months":
        n = int(round(value))
        if _korean():
            return f"{name} {n}개월"
        return f"{name} {n} month{'s' if n != 1 else ''}"
    if kind.unit == "krw":
        if _korean():
            return f"{name} {value / 10_000:,.0f}만 원"
        return f"{name} ₩{value:,.0f}"
    return name
