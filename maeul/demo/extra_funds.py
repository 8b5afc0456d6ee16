"""The demo's directory: each MOU partner's agreement and services (HSDS-shaped, with need
domains, capacity and required documents), placed at the partner's dong, and the Dure corps'
funerals for people who die alone as a gu-wide volunteer service. Built through
resources.services (service_save, agreement_add) as a gu team member."""

from __future__ import annotations

import datetime as dt
import random

from maeul.resources.services import agreement_add, service_save

#: partner kind → (service name, English name, domains, places per month, documents)
SERVICES = {
    "welfare_centre": [
        ("밑반찬 배달", "Side-dish delivery", ["daily_living", "health"], 40, ["신분증"]),
        ("사례관리 연계", "Case management", ["social", "mental_health"], 15, []),
    ],
    "senior_centre": [("어르신 말벗", "Befriending for older people", ["social"], 30, [])],
    "health": [("방문 건강검진", "Home health check", ["health"], 20, ["건강보험증"])],
    "mental_health": [("마음 상담", "Counselling", ["mental_health"], 12, [])],
    "employment": [("일자리 상담", "Job counselling", ["employment", "income"], 25, ["신분증"])],
    "food_bank": [("푸드뱅크 식품 지원", "Food bank parcels", ["income", "daily_living"], 60, [])],
    "religious": [("후원 물품 지원", "Donated goods", ["income"], 20, [])],
    "business": [("이미용 재능기부", "Haircuts (talent donation)", ["daily_living"], 10, [])],
    "fire_station": [("안전 점검", "Home safety check", ["safety", "housing"], 10, [])],
}


def build(*, seed: int, today: dt.date, org, scale: float) -> dict[str, int]:
    rng = random.Random(seed + 9)
    actor = org.gu_staff[0].user
    services = agreements = 0
    for partner in org.partners:
        start = partner.mou_signed_on or dt.date(today.year - 1, 1, 1)
        agreement_add(
            actor=actor,
            partner=partner,
            scope=partner.services[:300] or partner.name,
            starts_on=start,
            ends_on=start.replace(year=start.year + 3),
        )
        agreements += 1
        for name, name_en, domains, places, documents in SERVICES.get(partner.kind, []):
            service_save(
                actor=actor,
                organization=partner,
                area=partner.area,
                name=name,
                name_en=name_en,
                domains=domains,
                kind="talent" if "재능" in name else "service",
                places_per_month=places,
                budget_left=rng.randrange(0, 50) * 100_000,
                documents=documents,
                eligibility_description="동 주민센터 의뢰 가구",
            )
            services += 1
    if org.partners:
        service_save(
            actor=actor,
            organization=org.partners[0],
            area=org.gu,
            name="두레 무연고 장례 지원",
            name_en="Dure funerals for people who die alone",
            domains=["social"],
            kind="volunteer",
            roster="두레 봉사단 1조: 월·수 / 2조: 화·목",
        )
        services += 1
    return {"directory_services": services, "mou_agreements": agreements}
