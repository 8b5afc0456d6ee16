"""The demo's directory: each MOU partner's agreement and services (HSDS-shaped, with need
domains, capacity and required documents), placed at the partner's dong, and the Dure corps'
funerals for people who die alone as a gu-wide volunteer service with its roster (two named
groups and safety-net members). Built through resources.services (service_save,
agreement_add, roster_shift_add) as a gu team member. Donations count as resources found in
the dong that found them (funds.services.donation_record)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from maeul.accounts.models import User
from maeul.cases.models import Linkage
from maeul.cases.services import linkage_update
from maeul.errors import DomainError
from maeul.funds.services import (
    disbursement_record,
    donation_record,
    fund_create,
    sponsorship_payment_record,
    sponsorship_start,
)
from maeul.people.models import Household
from maeul.resources.models import Service
from maeul.resources.services import agreement_add, roster_shift_add, service_save

DONORS = [
    "망미시장 상인회",
    "수영구 로타리클럽",
    "광안리 횟집 연합",
    "익명 기부자",
    "민락동 교회",
    "남천 새마을금고",
]
GOODS = ["쌀 20kg 30포", "라면 50상자", "겨울 이불 20채", "김장김치 100kg"]

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
    shifts = 0
    if org.partners:
        dure = service_save(
            actor=actor,
            organization=org.partners[0],
            area=org.gu,
            name="두레 무연고 장례 지원",
            name_en="Dure funerals for people who die alone",
            domains=["social"],
            kind="volunteer",
        )
        services += 1
        for name, days in (("두레 봉사단 1조", [0, 2]), ("두레 봉사단 2조", [1, 3])):
            roster_shift_add(actor=actor, service=dure, volunteer_name=name, weekdays=days)
            shifts += 1
        members = [m for dong_members in org.safety_net.values() for m in dong_members]
        members = [m for m in members if m.left_on is None][:3]
        for n, member in enumerate(members):
            roster_shift_add(
                actor=actor,
                service=dure,
                member=member,
                weekdays=[4 + n % 2],
                starts_at=dt.time(9),
                ends_at=dt.time(13),
            )
            shifts += 1
        haircut = next(iter(_talent_services(org)), None)
        if haircut is not None:
            roster_shift_add(
                actor=actor,
                service=haircut,
                volunteer_name="망미 미용실 원장",
                weekdays=[0],
                starts_at=dt.time(10),
                ends_at=dt.time(12),
                note="첫째 주 월요일",
            )
            shifts += 1
    money = _money(rng, today=min(today, timezone.localdate()), org=org, actor=actor)
    referrals = _referrals(rng, org=org, actor=actor)
    return {
        "directory_services": services,
        "roster_shifts": shifts,
        "mou_agreements": agreements,
        **money,
        "referrals_moved": referrals,
    }


def _talent_services(org) -> list:
    return list(
        Service.objects.filter(organization__in=org.partners, kind=Service.Kind.TALENT).order_by(
            "pk"
        )[:1]
    )


def _months_back(day: dt.date, n: int) -> dt.date:
    month = day.month - n
    year = day.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _money(rng: random.Random, *, today: dt.date, org, actor) -> dict[str, int]:
    """A year of donations into the general fund and a restricted one, disbursements for the
    district's emergency aid, and sponsorships with their payments (some overdue, lapsed)."""
    general = fund_create(actor=actor, name=f"{org.gu.name} 민간복지기금")
    restricted = fund_create(
        actor=actor,
        name="교육 지정기금",
        restriction="아동·청소년 교육비",
        purpose_domain="education",
    )
    donations = 0
    for back in range(12, -1, -1):
        start = _months_back(today, back)
        for _ in range(rng.randint(3, 5)):
            # Before the demo's today: a donation is a resource found, and no event of the
            # demo falls on or after its cut-off (the morning of today).
            day = min(start + dt.timedelta(days=rng.randint(0, 27)), today - dt.timedelta(days=1))
            in_kind = rng.random() < 0.2
            donation_record(
                actor=actor,
                fund=restricted if rng.random() < 0.2 else general,
                kind="in_kind" if in_kind else "cash",
                donor_name=rng.choice(DONORS),
                donor_kind="business" if rng.random() < 0.5 else "person",
                amount=rng.randrange(5, 200) * 10_000,
                goods=rng.choice(GOODS) if in_kind else "",
                received_on=day,
                dong=rng.choice(org.dongs),
            )
            donations += 1
    aid = Linkage.objects.filter(
        dong__parent=org.gu,
        kind__in=(Linkage.Kind.EMERGENCY_AID, Linkage.Kind.PRIVATE_RESOURCE),
        status=Linkage.Status.PROVIDED,
    ).order_by("proposed_at")[:25]
    paid = 0
    for linkage in aid:
        try:
            disbursement_record(
                actor=actor,
                fund=general,
                linkage=linkage,
                amount=rng.randrange(5, 30) * 10_000,
                on=min(timezone.localdate(linkage.proposed_at), today),
            )
            paid += 1
        except DomainError:  # the fund ran dry: the demo shows a refusal is possible
            break
    households = list(
        Household.objects.filter(dong__parent=org.gu, cases__status="open")
        .distinct()
        .order_by("pk")[:12]
    )
    sponsorships = 0
    for n, household in enumerate(households):
        started = _months_back(today, rng.randint(3, 10))
        s = sponsorship_start(
            actor=actor,
            household=household,
            supporter_name=f"후원자 {n + 1}",
            monthly_amount=rng.choice((300_000, 400_000, 500_000)),
            started_on=started,
            review_on=started + dt.timedelta(days=rng.choice((120, 180, 365))),
            end_condition="self_reliance",
            supporter_agrees_to_be_named=n % 4 == 0,
            household_agrees_to_know=n % 2 == 0,
        )
        unpaid = 2 if n == 0 else 1 if n in (1, 2) else 0
        month = started
        last = _months_back(today, 1 + unpaid)
        while month <= last:
            sponsorship_payment_record(
                actor=actor,
                sponsorship=s,
                month=month,
                amount=s.monthly_amount,
                paid_on=min(month + dt.timedelta(days=4), today),
            )
            month = _months_back(month, -1)
        sponsorships += 1
    return {"donations": donations, "disbursements": paid, "sponsorships": sponsorships}


def _referrals(rng: random.Random, *, org, actor) -> int:
    """Referrals still open in the history, moved on so every state shows beside the history's
    received, served and declined ones: accepted, returned, withdrawn by the hub. (Moves that
    write a timeline event, served and declined, are left to the history: its events stay
    before the demo's cut-off.)"""
    waiting = list(
        Linkage.objects.filter(
            dong__parent=org.gu,
            kind=Linkage.Kind.PARTNER_REFERRAL,
            status=Linkage.Status.PROPOSED,
            partner__isnull=False,
        ).order_by("pk")[:40]
    )
    contacts = {u.partner_id: u for u in User.objects.filter(partner__isnull=False, is_active=True)}
    moved = 0
    for n, linkage in enumerate(waiting):
        step = n % 4
        try:
            if step == 3:
                staff = User.objects.filter(pk=linkage.proposed_by_id).first() or actor
                linkage_update(actor=staff, linkage=linkage, status="withdrawn")
            elif step in (1, 2) and linkage.partner_id in contacts:
                partner = contacts[linkage.partner_id]
                linkage = linkage_update(actor=partner, linkage=linkage, status="accepted")
                if step == 2:
                    linkage_update(
                        actor=partner, linkage=linkage, status="returned", note="관외 전출"
                    )
            else:
                continue  # left received, some past their deadline
        except DomainError:
            continue
        moved += 1
    return moved
