"""Builders of many council rows at once, for the demo district: the gu's council and one CSSC
per dong with members, two years of meetings and decisions, projects, budget, education,
annual plans and a survey round with answers. The answers follow seed 000's levels (each
item's national mean, a community effect and a person's own), so the tables look like the
seed's."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import numpy as np
from django.db.models import Count
from django.utils import timezone

from maeul.areas.models import Area
from maeul.councils.models import (
    AnnualPlan,
    BudgetLine,
    Council,
    Decision,
    Education,
    Meeting,
    Member,
    ParticipantType,
    PlanPart,
    Project,
    SurveyAnswer,
    SurveyInvite,
    SurveyRound,
    WorkingGroup,
    Zone,
    ZonePlanYear,
)
from maeul.councils.survey.instrument import ITEMS
from maeul.people.models import Household

#: seed 000's overall item means (Tables 4–11) and the intent items' level (Table 3: ~90 % agree).
ITEM_LEVEL = {
    "I1": 6.3, "I2": 6.5, "I3": 6.4, "I4": 6.3, "I5": 6.5,
    "D1": 5.96, "D2": 5.76, "D3": 5.99, "D4": 5.77,
    "R1": 5.59, "R2": 5.71, "R3": 5.79, "R4": 5.85,
    "C1": 5.82, "C2": 5.65, "C3": 5.55, "C4": 5.79,
    "O1": 5.62, "O2": 5.86, "O3": 6.04,
    "S1": 5.43, "S2": 5.38, "S3": 5.07, "S4": 4.59,
    "E1": 5.61, "E2": 5.27, "E3": 5.74,
    "P1": 5.55, "P2": 5.64, "P3": 5.50,
    "K1": 5.29, "K2": 5.23, "K3": 5.17,
}  # fmt: skip
TYPE_SHARES = [
    (ParticipantType.VOLUNTEER_GROUP, 0.24),
    (ParticipantType.RESIDENTS_COUNCIL, 0.2),
    (ParticipantType.RESIDENT, 0.16),
    (ParticipantType.VILLAGE_HEAD, 0.16),
    (ParticipantType.WORKER, 0.12),
    (ParticipantType.SELF_EMPLOYED, 0.08),
    (ParticipantType.OTHER, 0.04),
]
AGENDAS = [
    "분기 발굴 현황 보고 및 위기가구 지원 방안",
    "특화사업 추진계획 심의",
    "이웃돕기 성금 배분 심의",
    "명예사회복지공무원 활동 보고",
    "동 지역사회보장계획 의견 수렴",
    "연말 나눔 행사 계획",
]
WORKING_GROUPS = ["발굴·지원 분과", "돌봄·건강 분과", "자원연계 분과"]
PROJECTS = [
    ("홀몸어르신 안부 반찬 나눔", "홀로 사는 어르신"),
    ("위기가구 긴급 생필품 지원", "위기가구"),
    ("아동 방과후 돌봄 지원", "한부모·조손 가정 아동"),
    ("고독사 예방 이웃 지킴이", "중장년 1인 가구"),
    ("주거환경 개선 집수리", "저소득 노후주택 가구"),
    ("장애인 가구 나들이", "재가 장애인"),
]


def council_tree_build(
    *, gu: Area, dongs: list[Area], established: dt.date
) -> tuple[Council, list[Council]]:
    gu_council = Council.objects.create(
        area=gu, name=f"{gu.name} 지역사회보장협의체", established_on=established
    )
    dong_councils = Council.objects.bulk_create(
        [
            Council(
                area=d,
                name=f"{d.name} 지역사회보장협의체",
                parent=gu_council,
                established_on=established,
            )
            for d in dongs
        ]
    )
    return gu_council, dong_councils


def demo_build(
    *,
    gu: Area,
    dongs: list[Area],
    seed: int,
    today: dt.date,
    scale: float,
    name: Callable[[str], str],
) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 8)
    gu_council, dong_councils = council_tree_build(
        gu=gu, dongs=dongs, established=dt.date(today.year - 8, 3, 1)
    )
    term_start = dt.date(today.year - 1, 1, 1)
    term_end = dt.date(today.year + 1, 12, 31)
    members: list[Member] = []
    by_council: dict[int, list[Member]] = {}
    for council in [gu_council, *dong_councils]:
        size = 22 if council is gu_council else rng.randint(18, 30)
        rows = []
        for k in range(size):
            sex = rng.choice("ffm")
            kind = rng.choices([t for t, _ in TYPE_SHARES], [w for _, w in TYPE_SHARES])[0]
            extra = [t for t, _ in TYPE_SHARES if t != kind and rng.random() < 0.12]
            position = (
                Member.Position.PRIVATE_CHAIR
                if k == 0
                else Member.Position.PUBLIC_COCHAIR
                if k == 1
                else Member.Position.EXECUTIVE
                if k < 6
                else Member.Position.GENERAL
            )
            rows.append(
                Member(
                    council=council,
                    name=name(sex.upper()),
                    participant_type=kind,
                    affiliations=[kind, *extra],
                    position=position,
                    sex=sex,
                    age_band=rng.choices(["30", "40", "50", "60", "70"], [3, 14, 41, 36, 6])[0],
                    term_start=term_start,
                    term_end=term_end,
                    teams_led=[f"{council.area.name} {k}통 지킴이"]
                    if kind == ParticipantType.VILLAGE_HEAD
                    else [],
                )
            )
        by_council[council.pk] = Member.objects.bulk_create(rows)
        members += by_council[council.pk]
    # Dong chairs sit in the gu council too, and in its working groups (분과) with its members.
    chairs = [by_council[c.pk][0] for c in dong_councils]
    Member.also_in.through.objects.bulk_create(
        [Member.also_in.through(member_id=m.pk, council_id=gu_council.pk) for m in chairs]
    )
    groups = WorkingGroup.objects.bulk_create(
        [WorkingGroup(council=gu_council, name=n) for n in WORKING_GROUPS]
    )
    seats = [*by_council[gu_council.pk][2:], *chairs]
    GroupThrough = WorkingGroup.members.through
    GroupThrough.objects.bulk_create(
        [
            GroupThrough(workinggroup_id=groups[k % len(groups)].pk, member_id=m.pk)
            for k, m in enumerate(seats)
        ]
    )

    # Two years of meetings (every other month), decisions and attendance.
    meetings, decisions, attendance = [], [], []
    start = dt.date(today.year - 2, today.month, 1)
    for council in [gu_council, *dong_councils]:
        month = start
        while month <= today:
            held = min(month.replace(day=rng.randint(5, 25)), today)
            meetings.append(
                Meeting(
                    council=council,
                    held_on=held,
                    agenda=rng.choice(AGENDAS),
                    minutes="안건 설명 후 위원 의견을 듣고 원안대로 의결함.",
                )
            )
            years, index = divmod(month.month + 1, 12)
            month = dt.date(month.year + years, index + 1, 1)
    meetings = Meeting.objects.bulk_create(meetings)
    Through = Meeting.attendees.through
    for meeting in meetings:
        roster = by_council[meeting.council_id]
        present = [m for m in roster if rng.random() < 0.72]
        attendance += [Through(meeting_id=meeting.pk, member_id=m.pk) for m in present]
        for _k in range(rng.randint(1, 3)):
            recent = (today - meeting.held_on).days < 60
            decisions.append(
                Decision(
                    meeting=meeting,
                    text=rng.choice(
                        [
                            "지원 대상 가구 선정",
                            "예산 집행 승인",
                            "행사 일정 확정",
                            "신규 위원 위촉 건의",
                        ]
                    ),
                    carried_out=None if recent else rng.random() < 0.86,
                )
            )
    Through.objects.bulk_create(attendance)
    Decision.objects.bulk_create(decisions)

    projects, budget, educations, edu_rows = [], [], [], []
    for year in (today.year - 1, today.year):
        for council in dong_councils:
            given = 0  # the projects' budgets, which the gu's subsidy and donations cover
            for title, target in rng.sample(PROJECTS, 2):
                money = rng.randint(20, 80) * 100_000
                given += money
                done = year < today.year
                projects.append(
                    Project(
                        council=council,
                        year=year,
                        title=title,
                        plan=f"{target}을(를) 대상으로 {title} 사업을 분기별로 운영한다.",
                        target_group=target,
                        budget=money,
                        spent=money if done else int(money * rng.uniform(0.4, 0.9)),
                        results="대상 가구 전원 지원, 만족도 조사 실시" if done else "",
                        self_score=rng.randint(3, 5) if done else None,
                        self_assessment="목표를 대체로 달성함" if done else "",
                    )
                )
            donations = rng.randint(10, 60) * 100_000
            budget += [
                BudgetLine(
                    council=council,
                    year=year,
                    source=BudgetLine.Source.GU,
                    amount=max(5_000_000, -(-(given - donations) // 1_000_000) * 1_000_000),
                    note="구 지역사회보장협의체 운영·특화사업 보조금",
                ),
                BudgetLine(
                    council=council,
                    year=year,
                    source=BudgetLine.Source.DONATION,
                    amount=donations,
                    note="협의체 이웃돕기 기금 후원",
                ),
            ]
        for council in [gu_council, *dong_councils]:
            for kind, title in (
                (Education.Kind.BASIC, "협의체 기본교육"),
                (Education.Kind.IN_DEPTH, "사례관리·자원연계 심화교육"),
            ):
                educations.append(
                    Education(
                        council=council,
                        held_on=dt.date(year, 4 if kind == "basic" else 9, 15),
                        kind=kind,
                        title=title,
                        hours=3,
                    )
                )
    Project.objects.bulk_create(projects)
    BudgetLine.objects.bulk_create(budget)
    educations = [e for e in Education.objects.bulk_create(educations) if e.held_on <= today]
    EduThrough = Education.attendees.through
    for e in educations:
        edu_rows += [
            EduThrough(education_id=e.pk, member_id=m.pk)
            for m in by_council[e.council_id]
            if rng.random() < 0.6
        ]
    EduThrough.objects.bulk_create(edu_rows)
    for year in (today.year - 1, today.year):
        plan = AnnualPlan.objects.create(
            council=gu_council,
            year=year,
            summary=f"{year}년 {gu.name} 지역사회보장계획 연차별 시행계획: 발굴·돌봄·자원연계 강화",
        )
        PlanPart.objects.bulk_create(
            [
                PlanPart(
                    plan=plan,
                    council=c,
                    goals="위기가구 발굴 확대, 돌봄 공백 해소",
                    actions="특화사업 2건, 통장 지킴이 활동, 분기 사례회의",
                    budget=rng.randint(50, 120) * 100_000,
                )
                for c in dong_councils
            ]
        )

    # The survey round: every private member of the dong councils sampled; ~60 % answer.
    survey = SurveyRound.objects.create(
        title=f"{today.year}년 지역사회보장협의체 인식조사",
        opened_on=today - dt.timedelta(days=45),
        closes_on=today + dt.timedelta(days=15),
        population={},
    )
    survey.gus.set([gu])
    private = [
        m
        for c in dong_councils
        for m in by_council[c.pk]
        if m.position != Member.Position.PUBLIC_COCHAIR
    ]
    population: dict[str, int] = {}
    for m in private:
        population[m.participant_type] = population.get(m.participant_type, 0) + 1
    survey.population = population
    survey.save(update_fields=["population"])
    invites = SurveyInvite.objects.bulk_create(
        [SurveyInvite(round=survey, member=m) for m in private]
    )
    nrng = np.random.default_rng(seed + 8)
    effect = {c.pk: nrng.normal(0, 0.45) for c in dong_councils}
    answers: list[SurveyAnswer] = []
    now = timezone.now()
    answered: list[SurveyInvite] = []
    respond = {ParticipantType.WORKER: 0.75, ParticipantType.VILLAGE_HEAD: 0.65}
    for invite, member in zip(invites, private, strict=True):
        if rng.random() > respond.get(member.participant_type, 0.55):
            continue
        own = nrng.normal(0, 0.5) + effect[member.council_id]
        for item in ITEMS:
            if rng.random() < 0.03:
                continue
            value = ITEM_LEVEL[item.item] + own + nrng.normal(0, 0.8)
            answers.append(
                SurveyAnswer(
                    invite=invite, item=item.item, answer=int(min(7, max(1, round(value))))
                )
            )
        invite.answered_at = now - dt.timedelta(days=rng.randint(1, 40))
        invite.source = (
            SurveyInvite.Source.PAPER if rng.random() < 0.25 else SurveyInvite.Source.WEB
        )
        answered.append(invite)
    SurveyInvite.objects.bulk_update(answered, ["answered_at", "source"])
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
    zones = _demo_zone(dongs=dongs, today=today)
    return {
        "support_zones": zones,
        "councils": 1 + len(dong_councils),
        "council_members": len(members),
        "council_meetings": len(meetings),
        "council_projects": len(projects),
        "survey_responses": len(answered),
    }


def _demo_zone(*, dongs: list[Area], today: dt.date) -> int:
    """One zone selected a year ago: the two tongs of the district with the most vulnerable
    households, in the same dong, with a four-year plan."""
    counts = (
        Household.objects.filter(dong__in=dongs, tong__isnull=False)
        .exclude(groups=[])
        .values("tong", "tong__parent")
        .annotate(n=Count("pk"))
        .order_by("-n", "tong")
    )
    rows = list(counts[:40])
    if not rows:
        return 0
    dong_id = rows[0]["tong__parent"]
    chosen = [r["tong"] for r in rows if r["tong__parent"] == dong_id][:2]
    zone = Zone.objects.create(
        dong_id=dong_id,
        name="마을 돌봄 특별지원구역",
        selected_on=today - dt.timedelta(days=365),
        reasons="취약가구 밀집도가 구 최고 수준이고 복지관·자원이 멀어 접근성이 낮음",
        criteria={
            "weights": {"vulnerable": 0.35, "share": 0.25, "scarcity": 0.25, "distance": 0.15}
        },
    )
    zone.tongs.set(chosen)
    ZonePlanYear.objects.bulk_create(
        [
            ZonePlanYear(
                zone=zone,
                year=year,
                goals=goals,
                projects=projects,
                budget=budget,
                shared_spaces="경로당 2층 마을 사랑방" if year >= 1 else "",
                services="반찬 나눔, 안부 확인, 병원 동행",
                organising=organising,
            )
            for year, goals, projects, budget, organising in (
                (
                    1,
                    "주민 관계망 만들기",
                    "사랑방 개소, 이웃 지킴이 모집",
                    30_000_000,
                    "지킴이 모임 월 1회, 12명",
                ),
                (
                    2,
                    "돌봄 공백 줄이기",
                    "병원 동행·반찬 나눔 정례화",
                    35_000_000,
                    "주민 모임 2개, 25명",
                ),
                (3, "주민 주도 운영", "주민 운영위원회 구성", 30_000_000, "운영위원회 분기 1회"),
                (4, "자립과 확산", "이웃 동으로 모델 확산", 20_000_000, "협동조합 준비 모임"),
            )
        ]
    )
    return 1
