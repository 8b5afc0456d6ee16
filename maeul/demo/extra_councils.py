"""The demo's councils (seed 000): Suyeong-gu's council and one CSSC per dong, with members,
two years of meetings and decisions, projects, budget, education, the gu's annual plans and a
perception-survey round with answers; the areas' subtypes (the gu, its dongs); a few cases
per dong brought to the council (the household's "council" consent, then the council's review,
both dated inside the demo's history); and, with the demo accounts, one council member who
signs in (`cssc_member`)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from maeul.accounts.models import Role, User
from maeul.areas.models import Area
from maeul.councils.bulk import demo_build
from maeul.councils.models import Council, Member
from maeul.councils.services import case_review_record
from maeul.demo import facts
from maeul.demo.organisation import Organisation
from maeul.demo.population import NameMaker
from maeul.people.models import Household
from maeul.people.services import consent_record

PERSONA = "cssc_member"

#: Cases brought to each dong council in the demo.
REVIEWS_PER_DONG = 3
DECISIONS = (
    "긴급지원 연계 후 3개월간 협의체 위원 안부 확인",
    "주거환경 개선(도배·장판) 특화사업 대상으로 선정",
    "반찬 나눔 특화사업 대상 추가, 명예사회복지공무원 주 1회 방문",
    "의료비 후원 연계(후원금 50만원) 및 병원 동행 자원봉사 배정",
    "공공 서비스 연계 완료로 협의체 지원 종결, 분기별 모니터링",
)


def _case_reviews(*, rng: random.Random, today: dt.date, org: Organisation) -> int:
    """A few households per dong (among those already assessed) consent to council review and
    the dong council decides on their case, all before the demo's cut-off (`today`)."""
    last = min(today, timezone.localdate()) - dt.timedelta(days=1)
    count = 0
    for k, dong in enumerate(org.dongs):
        council = Council.objects.filter(area=dong).first()
        actor = next((s.user for s in org.staff.get(k, []) if s.user.is_hub_staff), None)
        if council is None or actor is None:
            continue
        pool = list(
            Household.objects.filter(dong=dong, consents__isnull=False)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        for pk in rng.sample(pool, min(REVIEWS_PER_DONG, len(pool))):
            household = Household.objects.get(pk=pk)
            given_on = last - dt.timedelta(days=rng.randint(30, 300))
            reviewed_on = given_on + dt.timedelta(days=rng.randint(7, 28))
            consent_record(
                actor=actor,
                household=household,
                purpose="지역사회보장협의체 사례 심의를 위한 개인정보 제공",
                scopes=["council"],
                given_on=given_on,
                occurred_at=timezone.make_aware(dt.datetime.combine(given_on, dt.time(10))),
            )
            case_review_record(
                actor=actor,
                council=council,
                household=household,
                decision=rng.choice(DECISIONS),
                reviewed_on=reviewed_on,
                occurred_at=timezone.make_aware(dt.datetime.combine(reviewed_on, dt.time(15))),
            )
            count += 1
    return count


def build(*, seed: int, today: dt.date, org: Organisation, scale: float) -> dict[str, int]:
    Area.objects.filter(pk=org.gu.pk, subtype="").update(subtype=Area.Subtype.GU)
    Area.objects.filter(parent=org.gu, level=Area.Level.DONG, subtype="").update(
        subtype=Area.Subtype.DONG
    )
    rng = random.Random(seed * 31 + 8)
    names = NameMaker(rng)

    def name(sex: str) -> str:
        return names.full(dt.date(rng.randint(1950, 1990), rng.randint(1, 12), 1), sex)

    counts = demo_build(
        gu=org.gu, dongs=list(org.dongs), seed=seed, today=today, scale=scale, name=name
    )
    counts["council_case_reviews"] = _case_reviews(rng=rng, today=today, org=org)
    demo_accounts = any(u.has_usable_password() for u in org.personas.values())
    if demo_accounts:  # the personas sign in: so does one council member
        member = (
            Member.objects.filter(council__area=org.dongs[0], position=Member.Position.EXECUTIVE)
            .order_by("pk")
            .first()
        )
        if member is not None:
            user = User.objects.create(
                username=PERSONA,
                role=Role.CSSC_MEMBER,
                full_name=member.name,
                home_area=org.dongs[0],
                password=make_password(facts.DEMO_PASSWORD),
            )
            Member.objects.filter(pk=member.pk).update(user=user)
    return counts
