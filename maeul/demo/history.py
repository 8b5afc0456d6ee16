"""Two years of the core loop (DOMAIN.md): leads, visits, assessments, blind spots, linkages,
cases with follow-ups and conferences, local resources, each with the timeline events the
services write, at the rates of seed 003 before and after each dong's hub opening.

Everything is built as unsaved objects in memory (the caller saves them in bulk); events are
tuples `(occurred_at, kind, dong_id, household, actor_id, subject, amount, summary)`."""

from __future__ import annotations

import datetime as dt
import math
import random

from maeul.accounts.models import Role
from maeul.cases.models import Assessment, Case, Conference, Domain, FollowUp, Goal, Linkage
from maeul.demo import facts
from maeul.demo.organisation import Organisation, Staff
from maeul.demo.population import HouseholdPlan, PopulationBuilder, add_years, age_on, at
from maeul.discovery.bulk import lead_row
from maeul.discovery.models import Lead
from maeul.people.models import Consent, Programme
from maeul.resources.models import Resource
from maeul.visits.models import Visit

WORKDAYS_PER_MONTH = 21.7
#: Monthly rates per dong at full size: (before the hub opened, after).
RATES = {
    "leads": (12, 55),
    "revisits": (18, 95),
    "counter": (25, 25),
    "resources": (5, 18),
}
CRISIS_SIGNALS = (
    "utility_disconnection",
    "utility_arrears",
    "health_insurance_arrears",
    "rent_arrears",
    "telecom_arrears",
    "job_loss",
    "medical_expense",
    "housing_vulnerable",
)
NEED_PROFILE = {
    "senior_alone": ("health", "care", "social", "daily_living", "income"),
    "senior_couple": ("health", "care", "income", "housing"),
    "single_parent": ("income", "care", "education", "employment", "mental_health"),
    "grandparent": ("income", "education", "care", "health"),
    "disabled": ("health", "care", "income", "daily_living"),
    "near_poor": ("income", "employment", "housing", "education"),
    "middle_aged_alone": ("income", "employment", "mental_health", "health", "housing"),
}
PARTNER_FOR_NEED = {
    "mental_health": ("mental_health",),
    "employment": ("employment",),
    "health": ("health",),
    "care": ("senior_centre", "welfare_centre"),
    "daily_living": ("food_bank", "welfare_centre"),
    "housing": ("other",),
    "social": ("welfare_centre", "religious"),
    "income": ("food_bank", "religious"),
    "education": ("business", "welfare_centre"),
}


_LABELS: dict[tuple, str] = {}


def label(choices, value) -> str:
    """The choice's label as text (what `get_FOO_display()` writes into an event summary)."""
    key = (choices, value)
    if key not in _LABELS:
        _LABELS[key] = str(choices(value).label)
    return _LABELS[key]


class History:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: dt.date,
        org: Organisation,
        population: PopulationBuilder,
        scale: float,
    ) -> None:
        self.rng = rng
        self.today = today
        self.cutoff = at(today, 8, 30)
        self.org = org
        self.pop = population
        self.events = population.events
        self.scale = scale
        mean_weight = sum(d.weight for d in facts.DONGS) / len(facts.DONGS)
        self.weight = [d.weight / mean_weight for d in facts.DONGS]
        self.leads: list[Lead] = []
        self.visits: list[Visit] = []
        self.case_visits: list[Visit] = []
        self.members: list[tuple[Visit, int]] = []
        self.consents: list[Consent] = []
        self.assessments: list[Assessment] = []
        self.cases: list[Case] = []
        self.goals: list[Goal] = []
        self.follow_ups: list[FollowUp] = []
        self.conferences: list[Conference] = []
        self.linkages: list[Linkage] = []
        self.resources: list[Resource] = []
        self.res_by_dong: dict[int, list[Resource]] = {i: [] for i in range(len(org.dongs))}
        self.known: dict[int, list[HouseholdPlan]] = {i: [] for i in range(len(org.dongs))}
        self.hidden: dict[int, list[HouseholdPlan]] = {i: [] for i in range(len(org.dongs))}
        self.survey_queue: dict[int, list[HouseholdPlan]] = {}
        for plan in population.plans:
            (self.hidden if plan.hidden else self.known)[plan.dong_index].append(plan)
        for index, plans in self.known.items():
            queue = list(plans)
            rng.shuffle(queue)
            self.survey_queue[index] = queue
        self.personas = {name: u.pk for name, u in org.personas.items()}
        self.partner_contact_ids = {pk: u.pk for pk, u in org.partner_contacts.items()}
        self.care_households: list[HouseholdPlan] = []

    # --- helpers ---------------------------------------------------------------------

    def ev(
        self,
        when,
        kind,
        plan: HouseholdPlan | None,
        actor_id,
        subject,
        *,
        dong_id=None,
        amount=None,
        summary="",
    ) -> None:
        self.events.append(
            (
                when,
                kind,
                dong_id if dong_id is not None else plan.obj.dong_id,
                plan.obj if plan else None,
                actor_id,
                subject,
                amount,
                summary[:300],
            )
        )

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def after(self, index: int, day: dt.date) -> bool:
        return day >= facts.DONGS[index].opened_on

    def workday(self, day: dt.date) -> dt.date:
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day

    def team(self, index: int, day: dt.date, roles) -> list[Staff]:
        return [s for s in self.org.staff[index] if s.role in roles and s.hired_on <= day]

    def official(self, index: int, day: dt.date) -> int:
        staff = self.team(
            index, day, (Role.WELFARE_OFFICIAL, Role.WELFARE_MANAGER, Role.CASE_MANAGER)
        )
        persona = {3: "mangmi1", 2: "suyeong"}.get(index)
        weights = [4 if persona and s.user.pk == self.personas.get(persona) else 1 for s in staff]
        return self.rng.choices(staff, weights)[0].user.pk

    def nurse(self, index: int, day: dt.date) -> int | None:
        staff = self.team(index, day, (Role.VISITING_NURSE,))
        return staff[0].user.pk if staff else None

    def gu_member(self) -> int:
        return self.rng.choice(self.org.gu_staff).user.pk

    def time_on(self, day: dt.date) -> dt.datetime:
        return at(day, self.rng.randint(9, 16), self.rng.randrange(60))

    def rate(self, name: str, index: int, day: dt.date) -> float:
        before, after = RATES[name]
        monthly = after if self.after(index, day) else before
        return monthly * self.weight[index] * self.scale / WORKDAYS_PER_MONTH

    # --- visits ----------------------------------------------------------------------

    def visit(
        self,
        plan: HouseholdPlan,
        *,
        day: dt.date,
        members: list[int],
        kind: str,
        team: str = Visit.Team.HUB,
        lead: Lead | None = None,
        case: Case | None = None,
        planned_at: dt.datetime | None = None,
        force_planned: bool = False,
    ) -> Visit:
        """A visit planned (event) and, when its day is past, done (event)."""
        rng = self.rng
        visit = Visit(
            household=plan.obj,
            dong_id=plan.obj.dong_id,
            lead=lead,
            case=case,
            kind=kind,
            team=team,
            planned_on=day,
            planned_by_id=members[0],
        )
        planned_at = planned_at or at(
            day - dt.timedelta(days=rng.randint(1, 5)), rng.randint(8, 17), rng.randrange(60)
        )
        planned_at = min(planned_at, self.cutoff - dt.timedelta(minutes=rng.randint(5, 600)))
        (self.case_visits if case is not None else self.visits).append(visit)
        for member in members:
            self.members.append((visit, member))
        self.ev(
            planned_at,
            "visit_planned",
            plan,
            members[0],
            visit,
            summary=f"{day.isoformat()} {label(Visit.Kind, kind)}",
        )
        done_at = self.time_on(day)
        if force_planned or day >= self.today or done_at >= self.cutoff:
            return visit
        if rng.random() < 0.02:
            visit.status = Visit.Status.CANCELLED
            return visit
        roll = rng.random()
        outcome = (
            "met"
            if roll < 0.86
            else "not_home"
            if roll < 0.96
            else "refused"
            if roll < 0.99
            else "moved"
        )
        visit.status, visit.outcome, visit.done_at = Visit.Status.DONE, outcome, done_at
        if outcome == "met":
            visit.observed_needs = rng.sample(NEED_PROFILE[plan.kind], rng.randint(0, 2))
        plan.visited = True
        self.ev(
            done_at,
            "visit_completed",
            plan,
            members[0],
            visit,
            summary=f"{label(Visit.Kind, kind)} · {label(Visit.Outcome, outcome)}",
        )
        return visit

    def visit_members(self, index: int, day: dt.date, *, joint: float = 0.2) -> list[int]:
        members = [self.official(index, day)]
        nurse = self.nurse(index, day)
        if nurse and self.rng.random() < joint:
            members.append(nurse)
        return members

    # --- assessment, blind spots, linkages, cases -------------------------------------

    def assess(
        self,
        plan: HouseholdPlan,
        visit: Visit,
        actor: int,
        when: dt.datetime,
        index: int,
        *,
        survey: bool = False,
    ) -> Assessment | None:
        if when >= self.cutoff:
            return None
        rng = self.rng
        profile = NEED_PROFILE[plan.kind]
        needs = {d: 0 for d in Domain.values}
        for domain in rng.sample(profile, rng.randint(1, min(3, len(profile)))):
            needs[domain] = rng.choice((1, 2, 2, 3))
        top = max(needs.values())
        risk = {1: "low", 2: "moderate", 3: "high"}[top]
        if top == 3 and rng.random() < 0.25:
            risk = "crisis"
        open_case = plan.case_open_until is not None and plan.case_open_until > when
        weights = {
            "low": (60, 40, 0, 0),
            "moderate": (25, 73, 2, 0),
            "high": (10, 78, 10, 2),
            "crisis": (0, 55, 30, 15),
        }[risk]
        if survey:
            weights = (weights[0] + 20, weights[1], weights[2] / 2, weights[3] / 2)
        decision = rng.choices(Assessment.Decision.values, weights)[0]
        if open_case and decision in ("case_general", "case_intensive"):
            decision = "linkage_only"
        consent = None
        if decision in ("case_general", "case_intensive") or rng.random() < 0.9:
            scopes = ["hub", "referral"] + (
                ["sensitive"] if needs["health"] or needs["mental_health"] else []
            )
            consent = Consent(
                household=plan.obj,
                purpose="통합사례관리 및 복지서비스 연계를 위한 개인정보 수집·이용",
                scopes=scopes,
                given_on=when.date(),
                recorded_by_id=actor,
            )
            self.consents.append(consent)
            self.ev(
                when,
                "consent_given",
                plan,
                actor,
                consent,
                summary=", ".join(str(Consent.Scope(s).label) for s in scopes),
            )
        assessment = Assessment(
            household=plan.obj,
            visit=visit,
            assessed_by_id=actor,
            assessed_at=when,
            needs=needs,
            overall_risk=risk,
            consent=consent,
            decision=decision,
        )
        self.assessments.append(assessment)
        self.ev(
            when,
            "assessment_recorded",
            plan,
            actor,
            assessment,
            summary=f"{label(Assessment.Risk, risk)} · {label(Assessment.Decision, decision)}",
        )
        if (
            decision != "no_need"
            and not plan.blind_counted
            and not plan.receives_at(when.date())
            and not (plan.provided_at is not None and plan.provided_at <= when)
        ):
            plan.blind_counted = True
            self.ev(
                when,
                "blind_spot_discovered",
                plan,
                actor,
                assessment,
                summary=label(Assessment.Decision, decision),
            )
        case = None
        if decision in ("case_general", "case_intensive"):
            case = self.open_case(
                plan,
                index,
                when + dt.timedelta(hours=rng.randint(1, 70)),
                kind="intensive" if decision == "case_intensive" else "general",
                assessment=assessment,
                needs=needs,
            )
        if decision != "no_need":
            self.link(plan, index, when, needs=needs, assessment=assessment, case=case, actor=actor)
        return assessment

    def eligible(self, plan: HouseholdPlan, day: dt.date) -> list[tuple[str, object]]:
        have = {
            (r.programme, id(r.resident) if r.resident is not None else None)
            for r in plan.receipts
            if r.ended_on is None or r.ended_on >= day
        }
        programmes = {p for p, _ in have}
        options: list[tuple[str, object]] = []
        for m in plan.members:
            age = age_on(m.birth_date, day)
            if age >= 65 and ("basic_pension", id(m)) not in have:
                options.append(("basic_pension", m))
            if m.disability == "severe" and age >= 18 and ("disability_pension", id(m)) not in have:
                options.append(("disability_pension", m))
            if (
                age < (9 if day.year >= 2026 else 8)
                and m.relation in ("child", "grandchild")
                and ("child_allowance", id(m)) not in have
            ):
                options.append(("child_allowance", m))
        if plan.kind == "single_parent" and "single_parent" not in programmes:
            options.append(("single_parent", None))
        if not programmes & {"nbls_livelihood", "near_poor"}:
            options.append(
                ("nbls_livelihood", None) if plan.kind != "near_poor" else ("near_poor", None)
            )
        if plan.obj.housing in ("monthly_rent", "other") and "nbls_housing" not in programmes:
            options.append(("nbls_housing", None))
        return options

    def start_benefit(
        self, plan: HouseholdPlan, programme: str, resident, when: dt.datetime, actor: int
    ) -> None:
        day = when.date()
        amount = {
            "basic_pension": 342_510,
            "disability_pension": 432_510,
            "child_allowance": 100_000,
            "single_parent": 230_000,
            "nbls_housing": self.rng.randrange(150, 360) * 1000,
            "emergency_welfare": 733_000,
        }.get(programme)
        if programme == "nbls_livelihood":
            amount = self.rng.randrange(300, 1300) * 1000
        ended = (
            add_years(day, 0) + dt.timedelta(days=90) if programme == "emergency_welfare" else None
        )
        self.pop.receipt(
            plan,
            programme,
            day,
            resident=resident,
            amount=amount,
            ended_on=ended,
            actor_id=actor,
            occurred_at=when,
        )
        if programme == "nbls_livelihood":
            for m in plan.members:
                self.pop.receipt(
                    plan, "nbls_medical", day, resident=m, actor_id=actor, occurred_at=when
                )

    def linkage(
        self,
        plan: HouseholdPlan,
        *,
        kind: str,
        when: dt.datetime,
        actor: int,
        assessment=None,
        case=None,
        programme: str = "",
        resident=None,
        resource=None,
        partner=None,
        amount=None,
        description: str = "",
        provided_in=(3, 25),
        p_provided: float = 0.78,
    ) -> Linkage:
        rng = self.rng
        link = Linkage(
            household=plan.obj,
            dong_id=plan.obj.dong_id,
            case=case,
            assessment=assessment,
            kind=kind,
            programme=programme,
            resource=resource,
            partner=partner,
            description=description,
            amount=amount,
            proposed_by_id=actor,
            proposed_at=when,
        )
        self.linkages.append(link)
        parts = [label(Linkage.Kind, kind)]
        if programme:
            parts.append(label(Programme, programme))
        if partner is not None:
            parts.append(partner.name)
        if resource is not None:
            parts.append(resource.name)
        if description:
            parts.append(description)
        text = " · ".join(parts)
        self.ev(when, "linkage_proposed", plan, actor, link, amount=amount, summary=text)
        roll = rng.random()
        done = when + dt.timedelta(days=rng.randint(*provided_in), hours=rng.randint(0, 5))
        if kind == "public_benefit":
            link.status = Linkage.Status.REQUESTED
            link.updated_at = when + dt.timedelta(days=1)
        if done >= self.cutoff or roll > p_provided + 0.1:
            return link
        updater = (
            self.partner_contact_ids.get(partner.pk, actor)
            if partner is not None and rng.random() < 0.5
            else actor
        )
        if roll < p_provided:
            link.status, link.updated_at = Linkage.Status.PROVIDED, done
            self.ev(done, "linkage_provided", plan, updater, link, amount=amount, summary=text)
            if plan.provided_at is None or done < plan.provided_at:
                plan.provided_at = done
            if kind == "public_benefit":
                self.start_benefit(plan, programme, resident, done + dt.timedelta(minutes=1), actor)
        else:
            link.status, link.updated_at = Linkage.Status.DECLINED, done
            self.ev(done, "linkage_declined", plan, updater, link, amount=amount, summary=text)
        return link

    def partner_for(self, index: int, need: str, day: dt.date):
        kinds = PARTNER_FOR_NEED.get(need, ("welfare_centre",))
        dong = self.org.dongs[index]
        options = [
            p
            for p in self.org.partners
            if p.mou_signed_on <= day and (p.kind in kinds or p.area_id == dong.pk)
        ]
        if not options:
            return None
        if index == 3 and self.org.partners[0] in options and self.rng.random() < 0.5:
            return self.org.partners[0]
        return self.rng.choice(options)

    def link(
        self, plan: HouseholdPlan, index: int, when: dt.datetime, *, needs, assessment, case, actor
    ) -> None:
        rng = self.rng
        after = self.after(index, when.date())
        wanted = [d for d, v in needs.items() if v >= 1] or ["income"]
        for n in range(rng.choice((1, 1, 2, 2, 3))):
            t = when + dt.timedelta(minutes=10 + 7 * n)
            need = rng.choice(wanted)
            kind = rng.choices(
                ["public_benefit", "private_resource", "partner_referral", "emergency_aid"],
                (40, 25, 25, 10) if after else (70, 10, 10, 10),
            )[0]
            if kind == "public_benefit":
                options = self.eligible(plan, t.date())
                if options:
                    programme, resident = rng.choice(options)
                    self.linkage(
                        plan,
                        kind=kind,
                        when=t,
                        actor=actor,
                        assessment=assessment,
                        case=case,
                        programme=programme,
                        resident=resident,
                        provided_in=(10, 35),
                        p_provided=0.75,
                    )
                    continue
                kind = "emergency_aid"
            if kind == "private_resource":
                pool = [r for r in self.res_by_dong[index][-40:] if r.discovered_on <= t.date()]
                if pool:
                    resource = rng.choice(pool)
                    amount = min(resource.amount, rng.randrange(5, 60) * 10_000) or None
                    self.linkage(
                        plan,
                        kind=kind,
                        when=t,
                        actor=actor,
                        assessment=assessment,
                        case=case,
                        resource=resource,
                        amount=amount,
                        provided_in=(2, 15),
                    )
                    continue
                kind = "partner_referral"
            if kind == "partner_referral":
                partner = self.partner_for(index, need, t.date())
                if partner is not None:
                    self.linkage(
                        plan,
                        kind=kind,
                        when=t,
                        actor=actor,
                        assessment=assessment,
                        case=case,
                        partner=partner,
                        description=label(Domain, need),
                        provided_in=(3, 30),
                        p_provided=0.72,
                    )
                    continue
            self.linkage(
                plan,
                kind="emergency_aid",
                when=t,
                actor=actor,
                assessment=assessment,
                case=case,
                programme="local_emergency_aid",
                amount=rng.randrange(30, 150) * 10_000,
                provided_in=(1, 5),
                p_provided=0.9,
            )

    def open_case(
        self,
        plan: HouseholdPlan,
        index: int,
        when: dt.datetime,
        *,
        kind: str,
        assessment=None,
        needs=None,
    ) -> Case | None:
        if when >= self.cutoff:
            return None
        rng = self.rng
        day = when.date()
        if kind == "intensive" and rng.random() < 0.4:
            manager = self.gu_member()
        else:
            managers = self.team(index, day, (Role.CASE_MANAGER,)) or self.team(
                index, day, (Role.WELFARE_OFFICIAL,)
            )
            manager = rng.choice(managers).user.pk
        every = 14 if kind == "intensive" else 30
        case = Case(
            household=plan.obj,
            dong_id=plan.obj.dong_id,
            kind=kind,
            manager_id=manager,
            assessment=assessment,
            opened_at=when,
            follow_up_every_days=every,
        )
        self.cases.append(case)
        manager_label = self._label(manager)
        self.ev(
            when,
            "case_opened",
            plan,
            manager,
            case,
            summary=f"{label(Case.Kind, kind)} · {manager_label}",
        )
        duration = rng.randint(90, 280) if kind == "general" else rng.randint(150, 400)
        close_at = when + dt.timedelta(days=duration, hours=rng.randint(0, 6))
        closed = close_at < self.cutoff
        if closed:
            reason = rng.choices(Case.CloseReason.values, (60, 10, 10, 4, 11, 5))[0]
            case.status, case.closed_at, case.close_reason = Case.Status.CLOSED, close_at, reason
            self.ev(
                close_at,
                "case_closed",
                plan,
                manager,
                case,
                summary=label(Case.CloseReason, reason),
            )
        plan.case_open_until = close_at if closed else dt.datetime.max.replace(tzinfo=when.tzinfo)
        domains = [d for d, v in (needs or {}).items() if v >= 2] or list(
            NEED_PROFILE[plan.kind][:2]
        )
        for domain in domains[:3]:
            goal = Goal(
                case=case,
                domain=domain,
                description=facts.GOAL_TEXTS[domain],
                target_on=day + dt.timedelta(days=duration),
            )
            if closed:
                goal.status = "achieved" if case.close_reason == "goals_met" else "dropped"
            self.goals.append(goal)
            self.ev(
                when + dt.timedelta(minutes=15),
                "plan_updated",
                plan,
                manager,
                goal,
                summary=f"+ {label(Domain, domain)}: {goal.description}",
            )
        # conferences
        dates = []
        if kind == "intensive":
            dates = [
                ("dong", day + dt.timedelta(days=rng.randint(3, 10))),
                ("gu", day + dt.timedelta(days=rng.randint(14, 30))),
            ]
        elif rng.random() < 0.3:
            dates = [("dong", day + dt.timedelta(days=rng.randint(7, 30)))]
        for level, held in dates:
            held = self.workday(held)
            held_at = at(held, 15)
            if held_at >= self.cutoff or (closed and held_at >= close_at):
                continue
            conference = Conference(
                case=case,
                level=level,
                held_on=held,
                participants=rng.choice(facts.CONFERENCE_PARTICIPANTS),
                notes="가구 상황 공유 및 역할 분담",
                decisions="서비스 계획 확정",
                recorded_by_id=manager,
            )
            self.conferences.append(conference)
            self.ev(
                held_at,
                "conference_held",
                plan,
                manager,
                conference,
                summary=f"{label(Conference.Level, level)} {held.isoformat()}",
            )
        # follow-ups: one scheduled at a time, the next one after each is done
        due = day + dt.timedelta(days=every)
        end = close_at.date() if closed else self.today + dt.timedelta(days=every)
        while due <= end:
            done_day = self.workday(due + dt.timedelta(days=rng.randint(-3, 10)))
            if closed and done_day >= close_at.date():
                break
            if done_day >= self.today:
                self.follow_ups.append(FollowUp(case=case, due_on=due))
                if done_day <= self.today + dt.timedelta(days=6):
                    follow = self.follow_ups[-1]
                    visit = self.visit(
                        plan, day=done_day, members=[manager], kind="follow_up", case=case
                    )
                    follow.visit = visit
                break
            members = [manager]
            nurse = self.nurse(index, done_day)
            if nurse and needs and needs.get("health", 0) >= 2 and rng.random() < 0.5:
                members.append(nurse)
            visit = self.visit(plan, day=done_day, members=members, kind="follow_up", case=case)
            follow = FollowUp(case=case, due_on=due, visit=visit, done_at=visit.done_at)
            self.follow_ups.append(follow)
            due = done_day + dt.timedelta(days=every)
        return case

    def _label(self, user_id: int) -> str:
        for team in list(self.org.staff.values()) + [self.org.gu_staff]:
            for s in team:
                if s.user.pk == user_id:
                    return s.user.full_name
        return ""

    # --- the loop ----------------------------------------------------------------------

    def lead(
        self,
        index: int,
        day: dt.date,
        *,
        when: dt.datetime | None = None,
        urgency: str | None = None,
        stuck: bool = False,
    ) -> Lead | None:
        rng = self.rng
        after = self.after(index, day)
        when = when or self.time_on(day)
        source = rng.choices(
            ["resident", "staff", "high_risk_list", "partner", "volunteer", "survey"],
            (15, 10, 20, 10, 25, 20) if after else (45, 30, 15, 5, 5, 0),
        )[0]
        urgency = urgency or rng.choices(["emergency", "high", "normal"], (5, 20, 75))[0]
        dong = self.org.dongs[index]
        plan, match = None, "rrn" if rng.random() < 0.4 else "name_birth_address"
        if (
            source in ("resident", "volunteer", "partner", "high_risk_list")
            and self.hidden[index]
            and rng.random() < (0.4 if after else 0.15)
        ):
            plan, match = self.hidden[index].pop(), "new"
            plan.registered_at, plan.via_lead = when, True
            self.known[index].append(plan)
        elif after and rng.random() < 0.5:
            for _ in range(6):
                candidate = rng.choice(self.known[index])
                if not candidate.blind_counted and not candidate.receipts:
                    plan = candidate
                    break
        if plan is None:
            plan = rng.choice(self.known[index])
            if plan.registered_at and plan.registered_at > when:
                return None
        staff_id = self.official(index, day)
        reported_by, partner, reporter, crisis = None, None, "", []
        if source == "volunteer":
            net = self.org.safety_net[index]
            reporter = rng.choice(net).name if net else ""
            volunteer = self.org.volunteer
            if index == 3 and day >= facts.FIRST_WAVE and rng.random() < 0.3:
                reported_by, reporter = volunteer.pk, volunteer.full_name
        elif source == "partner":
            partner = self.partner_for(index, "care", day)
            if partner is None:
                source = "resident"
            else:
                reported_by = self.partner_contact_ids[partner.pk]
                reporter = self.org.partner_contacts[partner.pk].full_name
        elif source in ("staff", "survey"):
            reported_by = staff_id
        elif source == "high_risk_list":
            crisis = rng.sample(CRISIS_SIGNALS, rng.randint(1, 3))
        if source == "resident":
            reporter = (
                plan.members[0].name
                if rng.random() < 0.6
                else self.pop.names.full(dt.date(1970, 1, 1), rng.choice("FM"))
            )
        head = plan.members[0]
        lead = lead_row(
            dong_id=dong.pk,
            household=plan.obj,
            source=source,
            urgency=urgency,
            match=match,
            registered_at=when,
            reported_by_id=reported_by,
            partner_id=partner.pk if partner is not None else None,
            reporter_name=reporter,
            subject_name=head.name,
            address=f"{plan.obj.address} {plan.obj.address_detail}".strip(),
            description=rng.choice(facts.LEAD_TEXTS),
            crisis_signals=crisis,
        )
        self.leads.append(lead)
        if match == "new":
            self.ev(
                when, "household_registered", plan, reported_by, plan.obj, summary=str(plan.obj)
            )
        else:
            self.ev(when, "lead_matched", plan, reported_by, lead, summary=label(Lead.Match, match))
        self.ev(
            when, "lead_registered", plan, reported_by, lead, summary=label(Lead.Source, source)
        )
        assigned_at = when + dt.timedelta(minutes=rng.randint(5, 180))
        if assigned_at >= self.cutoff:
            return lead
        lead.assignee_id, lead.status = staff_id, Lead.Status.ASSIGNED
        self.ev(assigned_at, "lead_assigned", plan, staff_id, lead, summary=self._label(staff_id))
        if stuck:
            return lead
        if rng.random() < 0.05:  # a duplicate or already served: closed without a visit
            closed = assigned_at + dt.timedelta(days=rng.randint(1, 6))
            if closed < self.cutoff:
                self.close_lead(
                    lead, plan, closed, staff_id, rng.choice(facts.LEAD_CLOSE_REASONS[2:])
                )
            return lead
        delay = {"emergency": (0, 1), "high": (1, 4), "normal": (2, 8) if after else (3, 18)}[
            urgency
        ]
        visit_day = self.workday(day + dt.timedelta(days=rng.randint(*delay)))
        members = self.visit_members(index, visit_day, joint=0.25 if after else 0.0)
        if staff_id not in members:
            members[0] = staff_id
        visit = self.visit(
            plan,
            day=visit_day,
            members=members,
            kind="initial",
            lead=lead,
            planned_at=assigned_at + dt.timedelta(minutes=rng.randint(5, 240)),
        )
        lead.status = Lead.Status.VISIT_PLANNED
        if visit.status != Visit.Status.DONE:
            return lead
        if visit.outcome == "not_home":
            retry = self.workday(visit_day + dt.timedelta(days=rng.randint(1, 5)))
            visit = self.visit(plan, day=retry, members=members, kind="initial", lead=lead)
            if visit.status != Visit.Status.DONE:
                return lead
        if visit.outcome in ("refused", "moved", "not_home"):
            reason = {"refused": "상담 거절", "moved": "전출", "not_home": "연락 두절"}[
                visit.outcome
            ]
            self.close_lead(lead, plan, visit.done_at + dt.timedelta(hours=2), staff_id, reason)
            return lead
        assessment = self.assess(
            plan, visit, staff_id, visit.done_at + dt.timedelta(minutes=rng.randint(20, 90)), index
        )
        if assessment is None:
            return lead
        lead.status = Lead.Status.ASSESSED
        closed = assessment.assessed_at + dt.timedelta(days=rng.randint(2, 30))
        if closed < self.cutoff and rng.random() < 0.85:
            reason = "욕구 없음" if assessment.decision == "no_need" else "상담 후 서비스 연계"
            self.close_lead(lead, plan, closed, staff_id, reason)
        return lead

    def close_lead(
        self, lead: Lead, plan: HouseholdPlan, when: dt.datetime, actor: int, reason: str
    ) -> None:
        lead.status, lead.closed_at, lead.close_reason = Lead.Status.CLOSED, when, reason
        self.ev(when, "lead_closed", plan, actor, lead, summary=reason)

    def revisit(self, index: int, day: dt.date) -> None:
        rng = self.rng
        after = self.after(index, day)
        roll = rng.random()
        if after and roll < 0.35 or not after and roll < 0.25:
            queue = self.survey_queue[index]
            while queue and queue[-1].visited:
                queue.pop()
            if not queue:
                return
            plan = queue.pop()
            members = self.visit_members(index, day, joint=0.2)
            visit = self.visit(plan, day=day, members=members, kind="initial")
            if visit.status == Visit.Status.DONE and visit.outcome == "met":
                self.assess(
                    plan,
                    visit,
                    members[0],
                    visit.done_at + dt.timedelta(minutes=30),
                    index,
                    survey=True,
                )
            return
        nurse = self.nurse(index, day)
        known = self.known[index]
        if nurse and roll < 0.7:
            for _ in range(5):
                plan = rng.choice(known)
                if plan.kind in ("senior_alone", "senior_couple", "disabled", "grandparent"):
                    break
            self.visit(plan, day=day, members=[nurse], kind="health", team=Visit.Team.NURSE)
            return
        for _ in range(5):
            plan = rng.choice(known)
            if plan.visited:
                break
        self.visit(plan, day=day, members=[self.official(index, day)], kind="follow_up")

    def counter(self, index: int, day: dt.date) -> None:
        """A benefit applied for at the hub's counter (no visit, no assessment)."""
        plan = self.rng.choice(self.known[index])
        options = self.eligible(plan, day)
        if not options:
            return
        programme, resident = self.rng.choice(options)
        actor = self.official(index, day)
        self.linkage(
            plan,
            kind="public_benefit",
            when=self.time_on(day),
            actor=actor,
            programme=programme,
            resident=resident,
            provided_in=(14, 35),
            p_provided=0.72,
        )

    def resource(self, index: int, day: dt.date) -> None:
        rng = self.rng
        after = self.after(index, day)
        kind = rng.choices(["cash", "goods", "sponsorship", "service"], (30, 35, 20, 15))[0]
        mean = 700_000 if after else 1_100_000
        amount = int(rng.lognormvariate(math.log(mean) - 0.5, 1.0)) // 10_000 * 10_000
        if kind == "service":
            amount = amount // 3 // 10_000 * 10_000
        dong = self.org.dongs[index]
        partner = None
        if rng.random() < 0.2:
            options = [
                p for p in self.org.partners if p.mou_signed_on <= day and p.area_id == dong.pk
            ]
            partner = rng.choice(options) if options else None
        when = self.time_on(day)
        actor = self.official(index, day)
        resource = Resource(
            dong=dong,
            name=rng.choice(facts.RESOURCE_NAMES[kind]),
            kind=kind,
            partner=partner,
            provider_name=partner.name if partner else rng.choice(facts.PROVIDERS),
            amount=max(amount, 10_000),
            discovered_on=day,
            discovered_by_id=actor,
        )
        self.resources.append(resource)
        self.res_by_dong[index].append(resource)
        self.ev(
            when,
            "resource_discovered",
            None,
            actor,
            resource,
            dong_id=dong.pk,
            amount=resource.amount,
            summary=resource.name,
        )

    def legacy_cases(self) -> None:
        """Cases already open when the history starts (seed 003: 88 case households in 2014)."""
        for index in range(len(self.org.dongs)):
            for _ in range(max(1, self.poisson(5 * self.weight[index] * self.scale))):
                plan = self.rng.choice(self.known[index])
                if plan.case_open_until is not None:
                    continue
                day = self.workday(dt.date(2024, 3, 4) + dt.timedelta(days=self.rng.randrange(260)))
                self.open_case(
                    plan,
                    index,
                    self.time_on(day),
                    kind=self.rng.choice(("general", "general", "intensive")),
                )

    def care_visits(self) -> None:
        """volunteer1 checks on ~10 households of Mangmi 1-dong every two weeks (visiting care)."""
        volunteer = self.org.volunteer.pk
        seniors = [p for p in self.known[3] if p.kind in ("senior_alone", "senior_couple")]
        self.care_households = self.rng.sample(seniors, min(10, len(seniors)))
        for n, plan in enumerate(self.care_households):
            day = self.workday(facts.FIRST_WAVE + dt.timedelta(days=n))
            while day < self.today + dt.timedelta(days=7):
                self.visit(
                    plan, day=day, members=[volunteer], kind="care", team=Visit.Team.SAFETY_NET
                )
                day = self.workday(day + dt.timedelta(days=14))

    def today_work(self) -> None:
        """What the demo users find this morning: emergencies, overdue leads, today's rounds."""
        rng, today = self.rng, self.today
        for index, persona in ((3, "mangmi1"), (2, "suyeong")):
            official = self.personas[persona]
            known = self.known[index]
            for hours, urgency in ((7, "emergency"), (8, "emergency")):
                lead = self.lead(
                    index,
                    today,
                    when=at(today, hours, rng.randrange(30)),
                    urgency=urgency,
                    stuck=True,
                )
                if lead is not None:
                    lead.status, lead.assignee_id = Lead.Status.NEW, None
            for days, urgency in ((2, "emergency"), (5, "high"), (12, "normal")):
                day = self.workday(today - dt.timedelta(days=days))
                if day >= today:
                    day -= dt.timedelta(days=3)
                self.lead(index, day, urgency=urgency, stuck=True)
            week = [self.workday(today + dt.timedelta(days=d)) for d in range(0, 7)]
            week = sorted(
                set(d for d in week if d.isocalendar()[1] == today.isocalendar()[1]) or {today}
            )
            for day in week:
                for _ in range(rng.randint(4, 6) if day == today else rng.randint(2, 4)):
                    plan = rng.choice(known)
                    self.visit(
                        plan,
                        day=day,
                        members=[official],
                        kind=rng.choice(("follow_up", "initial")),
                        force_planned=True,
                    )
            nurse = self.nurse(index, today)
            if nurse and index == 3:
                for day in week:
                    for _ in range(rng.randint(3, 4) if day == today else rng.randint(1, 3)):
                        plan = rng.choice(known)
                        self.visit(
                            plan,
                            day=day,
                            members=[nurse],
                            kind="health",
                            team=Visit.Team.NURSE,
                            force_planned=True,
                        )

    def run(self) -> None:
        self.legacy_cases()
        day = facts.HISTORY_START
        n_dongs = len(self.org.dongs)
        while day < self.today:
            if day.weekday() < 5:
                for index in range(n_dongs):
                    for _ in range(self.poisson(self.rate("resources", index, day))):
                        self.resource(index, day)
                    for _ in range(self.poisson(self.rate("leads", index, day))):
                        self.lead(index, day)
                    for _ in range(self.poisson(self.rate("revisits", index, day))):
                        self.revisit(index, day)
                    for _ in range(self.poisson(self.rate("counter", index, day))):
                        self.counter(index, day)
            day += dt.timedelta(days=1)
        self.care_visits()
        self.today_work()
