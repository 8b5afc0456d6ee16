"""The demo's outreach campaigns (seed 001): Suyeong-gu's whole-population survey of its
registry and four of its six target-group surveys, with outcomes, so that the funnels show
numbers of the seed's order.

Seed 001's surveys and what they found, as shares the demo replays over its own registry:
- all 14,569 vulnerable households, 30 months, 6,881 blind spots (in need 47%);
- children under 12 in 499 vulnerable households, Jul–Sep: 294 selected for case management
  (59%), 222 linkages;
- 1,143 near-poor households, Feb–Apr: 777 public-private linkages (68% in need);
- 2,793 seniors living alone screened for depression, 17 months: 300 linkages (in need 11%),
  here with the GDS-15 and still running;
- 7,113 households over 60 living alone, Jan–Jul: 833 linkages (in need 12%).
"Linked" is only ever a household whose linkage (or case) in the demo history falls in the
campaign's period; a reached household's visit is the history's visit when there is one."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from maeul.accounts.models import SafetyNetMember
from maeul.campaigns.bulk import NewTarget, targets_bulk_record
from maeul.campaigns.care import care_watch_set, silence_escalate
from maeul.campaigns.models import Instrument, Target
from maeul.campaigns.services import campaign_create
from maeul.cases.models import Case, Linkage
from maeul.demo import facts
from maeul.people.models import BenefitReceipt, Household, Resident
from maeul.visits.models import Visit

NBLS = ("nbls_livelihood", "nbls_medical", "nbls_housing", "nbls_education")


@dataclass(frozen=True)
class Survey:
    key: str
    name: str
    purpose: str
    start: dt.date
    end: dt.date
    need_share: float
    link_share: float
    team: str
    instrument: str = ""


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _months(day: dt.date, n: int) -> dt.date:
    month = day.month - 1 + n
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _surveys(today: dt.date) -> list[Survey]:
    start = facts.HISTORY_START
    return [
        Survey(
            "all",
            "취약계층 전수조사",
            "등록된 모든 취약 가구를 찾아가 실태와 복지 욕구를 확인한다 (30개월).",
            start,
            min(_months(start, 30), today + dt.timedelta(days=180)) - dt.timedelta(days=1),
            6_881 / 14_569,
            0.53 * 6_881 / 14_569,
            Visit.Team.HUB,
        ),
        Survey(
            "near_poor",
            "차상위계층 가구 조사",
            "차상위 1,143가구 실태 조사와 민관 협력 연계.",
            dt.date(start.year + 1, 2, 1),
            dt.date(start.year + 1, 4, 30),
            777 / 1_143,
            0.9 * 777 / 1_143,
            Visit.Team.HUB,
        ),
        Survey(
            "children",
            "12세 이하 아동 취약가구 조사",
            "12세 이하 아동이 있는 취약 가구의 돌봄·교육 욕구 확인과 사례관리 대상 선정.",
            dt.date(start.year + 1, 7, 1),
            dt.date(start.year + 1, 9, 30),
            294 / 499,
            222 / 499,
            Visit.Team.HUB,
        ),
        Survey(
            "over60",
            "60세 이상 홀몸 가구 조사",
            "60세 이상 1인 가구 안부와 생활 실태 확인.",
            dt.date(start.year + 2, 1, 1),
            dt.date(start.year + 2, 7, 31),
            833 / 7_113 / 0.53,
            833 / 7_113,
            Visit.Team.SAFETY_NET,
        ),
        Survey(
            "depression",
            "홀몸 어르신 우울 선별 (GDS-15)",
            "홀몸 어르신 우울 선별검사와 정신건강 연계·집중 관리 (정신건강복지센터 협약).",
            dt.date(start.year + 1, 7, 1),
            dt.date(start.year + 2, 12, 31),
            0.25,
            300 / 2_793,
            Visit.Team.NURSE,
            "gds15",
        ),
    ]


def _answers(items: list[dict], score: int, rng: random.Random) -> dict[str, str]:
    flip = {"yes": "no", "no": "yes"}
    scored = set(rng.sample(range(len(items)), score))
    return {
        item["key"]: item["point_if"] if i in scored else flip[item["point_if"]]
        for i, item in enumerate(items)
    }


def _first_within(events: list[tuple[dt.date, int]], start: dt.date, end: dt.date) -> int | None:
    return next((i for d, i in events if start <= d <= end), None)


def build(*, seed: int, today: dt.date, org, scale: float) -> dict[str, int]:
    rng = random.Random(seed + 10)
    if not org.gu_staff:
        return {}
    gu_user = org.gu_staff[0].user
    households = list(
        Household.objects.filter(dong__parent=org.gu).values_list(
            "pk", "dong_id", "tong_id", "ban_id", "groups"
        )
    )
    births: dict[int, list[dt.date | None]] = defaultdict(list)
    for household_id, born in Resident.objects.filter(household__dong__parent=org.gu).values_list(
        "household_id", "birth_date"
    ):
        births[household_id].append(born)
    benefits: dict[int, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    for household_id, programme, started, ended in BenefitReceipt.objects.values_list(
        "household_id", "programme", "started_on", "ended_on"
    ):
        benefits[household_id].append((programme, started, ended))
    linkages: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for household_id, linkage_id, at in Linkage.objects.values_list(
        "household_id", "pk", "proposed_at"
    ):
        linkages[household_id].append((timezone.localtime(at).date(), linkage_id))
    cases: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for household_id, case_id, at in Case.objects.values_list("household_id", "pk", "opened_at"):
        cases[household_id].append((timezone.localtime(at).date(), case_id))
    visits: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for household_id, visit_id, day, team in Visit.objects.filter(
        status=Visit.Status.DONE
    ).values_list("household_id", "pk", "planned_on", "team"):
        visits[household_id].append((day, visit_id, team))
    staff_of: dict[int, list[int]] = {
        org.dongs[i].pk: [s.user.pk for s in team] for i, team in org.staff.items()
    }
    care = set(org.volunteer.care_households.values_list("pk", flat=True))
    gds = Instrument.objects.filter(code="gds15").first()

    def receives(household_id: int, programmes: tuple[str, ...] | None, on: dt.date) -> bool:
        return any(
            (programmes is None or p in programmes) and s <= on and (e is None or e >= on)
            for p, s, e in benefits.get(household_id, ())
        )

    def chosen(survey: Survey, row: tuple) -> bool:
        household_id, _dong, _tong, _ban, groups = row
        ages = [a for a in (_age(b, survey.start) for b in births[household_id]) if a is not None]
        alone = len(births[household_id]) == 1
        if survey.key == "all":
            return True
        if survey.key == "near_poor":
            return "near_poor" in groups or receives(household_id, ("near_poor",), survey.start)
        if survey.key == "children":
            return any(a < 12 for a in ages) and (
                "poor_children" in groups or receives(household_id, None, survey.start)
            )
        if survey.key == "over60":
            return alone and any(a >= 60 for a in ages)
        if survey.key == "depression":
            return "senior_alone" in groups and alone
        return False

    def assignee_for(survey: Survey, household_id: int, dong_id: int) -> int:
        """The volunteer screens her own care households; dong staff the rest."""
        if household_id in care and survey.team == Visit.Team.NURSE:
            return org.volunteer.pk
        return rng.choice(staff_of.get(dong_id) or [gu_user.pk])

    tz = timezone.get_current_timezone()
    counts: dict[str, int] = {}
    total = 0
    for survey in _surveys(today):
        if survey.start > today:
            continue
        instrument = gds if survey.instrument else None
        campaign = campaign_create(
            actor=gu_user,
            name=survey.name,
            purpose=survey.purpose,
            area=org.gu,
            starts_on=survey.start,
            ends_on=survey.end,
            instrument=instrument,
            teams=["discovery", "care"],
        )
        running = survey.end >= today
        span = max(1, (min(survey.end, today) - survey.start).days)
        done_share = min(1.0, span / max(1, (survey.end - survey.start).days))
        rows = [row for row in households if chosen(survey, row)]
        rng.shuffle(rows)
        # A linkage or case opened during the survey or within 90 days of its end follows it.
        window_end = survey.end + dt.timedelta(days=90)

        reached_n = round(0.94 * done_share * len(rows))
        reached, unreached = rows[:reached_n], rows[reached_n:]
        refused = {r[0] for r in reached[: round(0.03 * len(reached))]}
        met = [r for r in reached if r[0] not in refused]
        link_n = round(survey.link_share * len(reached))
        need_n = max(link_n, round(survey.need_share * len(reached)))
        linked: dict[int, tuple[int | None, int | None]] = {}
        for r in met:
            if len(linked) >= link_n:
                break
            linkage_id = _first_within(linkages.get(r[0], []), survey.start, window_end)
            case_id = _first_within(cases.get(r[0], []), survey.start, window_end)
            if linkage_id or case_id:
                linked[r[0]] = (linkage_id, case_id)
        in_need = set(linked)
        for r in met:
            if len(in_need) >= need_n:
                break
            in_need.add(r[0])
        targets: list[NewTarget] = []
        for household_id, dong_id, tong_id, ban_id, _groups in unreached:
            targets.append(
                NewTarget(
                    household_id=household_id,
                    dong_id=dong_id,
                    tong_id=tong_id,
                    ban_id=ban_id,
                    outcome=(
                        Target.Outcome.PENDING.value
                        if running and rng.random() < 0.85
                        else Target.Outcome.UNREACHABLE.value
                    ),
                    assignee_id=assignee_for(survey, household_id, dong_id),
                )
            )
        for household_id, dong_id, tong_id, ban_id, _groups in reached:
            if household_id in refused:
                outcome = Target.Outcome.REFUSED
            elif household_id in linked:
                outcome = Target.Outcome.LINKED
            elif household_id in in_need:
                outcome = Target.Outcome.IN_NEED
            else:
                outcome = Target.Outcome.NOT_IN_NEED
            in_period = [
                v
                for v in visits.get(household_id, ())
                if survey.start <= v[0] <= min(survey.end, today)
            ]
            day, visit_id, team = (
                in_period[0]
                if in_period
                else (survey.start + dt.timedelta(days=rng.randrange(span)), None, survey.team)
            )
            answers: dict[str, str] = {}
            score = None
            if instrument is not None and outcome != Target.Outcome.REFUSED:
                score = (
                    rng.randint(instrument.cutoff, len(instrument.items))
                    if household_id in in_need
                    else rng.randint(0, instrument.cutoff - 1)
                )
                answers = _answers(instrument.items, score, rng)
            linkage_id, case_id = linked.get(household_id, (None, None))
            targets.append(
                NewTarget(
                    household_id=household_id,
                    dong_id=dong_id,
                    tong_id=tong_id,
                    ban_id=ban_id,
                    outcome=outcome.value,
                    team=team,
                    assignee_id=assignee_for(survey, household_id, dong_id),
                    visit_id=visit_id,
                    linkage_id=linkage_id,
                    case_id=case_id,
                    answers=answers,
                    score=score,
                    flagged=score is not None
                    and instrument is not None
                    and score >= instrument.cutoff,
                    reached_at=dt.datetime.combine(day, dt.time(10 + rng.randrange(7)), tzinfo=tz),
                )
            )
        total += targets_bulk_record(campaign_id=campaign.pk, targets=targets)
        counts[f"campaign_{survey.key}"] = len(targets)
    watched = _care_watches(org=org, today=today, rng=rng)
    sexes = _safety_net_sexes(org=org, rng=rng)
    return {
        "campaigns": len(counts),
        "campaign_targets": total,
        "care_watches": watched,
        "safety_net_sex_recorded": sexes,
    }


def _safety_net_sexes(*, org, rng: random.Random) -> int:
    """The roster records each member's sex: the demo's members were named as women or men
    (four in five women, as in seed 003's safety nets), so the sex is read back from the given
    name's syllables; a name both lists could make stays a woman four times in five. A few
    members are left unrecorded, as enrolment forms leave it out."""
    female = {c for (_, sex), parts in facts.GIVEN.items() if sex == "F" for c in "".join(parts)}
    male = {c for (_, sex), parts in facts.GIVEN.items() if sex == "M" for c in "".join(parts)}
    members = list(
        SafetyNetMember.objects.filter(dong__parent=org.gu, sex="").order_by("pk").only("name")
    )
    for member in members:
        given = member.name[-2:]
        is_f = all(c in female for c in given)
        is_m = all(c in male for c in given)
        if rng.random() < 0.03:
            member.sex = ""
        elif is_f != is_m:
            member.sex = "F" if is_f else "M"
        else:
            member.sex = "F" if rng.random() < 0.8 else "M"
    SafetyNetMember.objects.bulk_update(members, ["sex"], batch_size=500)
    return sum(1 for m in members if m.sex)


def _care_watches(*, org, today: dt.date, rng: random.Random) -> int:
    """The volunteer's care households get a weekly check-in; most were visited in the last
    days, two have gone silent and the chain has run on them (so the dashboard shows it)."""
    households = list(org.volunteer.care_households.order_by("pk"))
    staff = [s.user for team in org.staff.values() for s in team if s.user.home_area_id]
    if not households or not staff:
        return 0
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(8)))
    for index, household in enumerate(households):
        actor = next((u for u in staff if u.home_area_id == household.dong_id), None)
        if actor is None:
            continue
        silent_days = (11, 13)[index] if index < 2 else rng.randint(0, 6)
        care_watch_set(
            actor=actor,
            household=household,
            interval_days=7,
            now=now - dt.timedelta(days=silent_days),
        )
    # Two scheduled runs before today's 9:00: reminded, then alerted (the emergency visit is
    # left for the first run of `care_escalate` in the running demo).
    for hours_before in (26, 1):
        silence_escalate(now=now - dt.timedelta(hours=hours_before))
    return len(households)
