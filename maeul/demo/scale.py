"""A registry of any size for benchmarks (`manage.py seed_scale --residents N`).

The demo district (`district.py`) replays two years of the core loop day by day, which takes
about a second per hundred households: too slow for a million residents. Here the same
organisation (`build_organisation`) and the same households, members, registration numbers,
benefits and means (`PopulationBuilder`, `means_for_demo`) are made in chunks, and each
household's history is drawn directly in the demo district's proportions per household
(measured on `seed_demo --households 2000`): 0.62 leads, 2.3 visits, 0.84 assessments, 1.4
linkages, 0.08 cases, 0.76 consents, ~15 timeline events, and one audited read per visit and
per assigned lead (the demo has no audit records; a read before each visit is what the
visit pages record). Rows are written with COPY on PostgreSQL (`scale_rows.Sink`). Only
synthetic data; no sign-in accounts (every user has an unusable password)."""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable

from django.db import transaction

from maeul.accounts import audit_hours
from maeul.accounts.models import AuditRecord, Role
from maeul.benefits.models import MeansRecord
from maeul.cases.models import Assessment, Case, Domain, Linkage
from maeul.demo import facts
from maeul.demo.means import means_for_demo
from maeul.demo.organisation import build_organisation
from maeul.demo.population import PopulationBuilder, at
from maeul.demo.scale_rows import Sink, bulk_load, reset_sequences
from maeul.discovery.deadlines import due_at_for
from maeul.discovery.models import Lead
from maeul.people.coverage import tallies_rebuild
from maeul.people.models import (
    BenefitReceipt,
    Consent,
    Household,
    Programme,
    Resident,
    TimelineEvent,
)
from maeul.people.services import resident_fill
from maeul.tally.services import timeline_triggers_paused
from maeul.visits.models import Visit

#: Residents per household in the demo district (3,957 residents in 2,000 households).
RESIDENTS_PER_HOUSEHOLD = 1.98
CHUNK = 5_000  # households generated and written at a time

SOURCES = (
    ("staff", 133),
    ("volunteer", 279),
    ("resident", 249),
    ("partner", 105),
    ("high_risk_list", 250),
    ("survey", 228),
)
LINK_KINDS = (
    ("public_benefit", 1196),
    ("private_resource", 519),
    ("partner_referral", 491),
    ("emergency_aid", 556),
)
#: Final statuses per linkage kind (demo: provided/declined/proposed or requested).
LINK_STATUS = {
    "public_benefit": (("provided", 835), ("declined", 126), ("requested", 235)),
    "private_resource": (("provided", 417), ("declined", 43), ("proposed", 59)),
    "partner_referral": (("provided", 342), ("declined", 49), ("proposed", 100)),
    "emergency_aid": (("provided", 505), ("declined", 50), ("proposed", 1)),
}
PUBLIC = (
    Programme.NBLS_LIVELIHOOD,
    Programme.NBLS_HOUSING,
    Programme.NEAR_POOR,
    Programme.BASIC_PENSION,
)
DOMAINS = [d for d in Domain.values if d != "safety"]
PURPOSE = "통합사례관리 및 복지서비스 연계를 위한 개인정보 수집·이용"


def _pick(rng: random.Random, pairs) -> str:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class ScaleBuilder:
    def __init__(self, *, residents: int, seed: int, today: dt.date, log: Callable[[str], None]):
        self.target = residents
        self.rng = random.Random(seed)
        self.today = today
        self.cutoff = at(today, 8, 30)
        self.start = at(facts.HISTORY_START, 9)
        self.span = (self.cutoff - self.start).total_seconds()
        self.log = log
        self.households_wanted = max(50, round(residents / RESIDENTS_PER_HOUSEHOLD))
        self.scale = self.households_wanted / facts.FULL_HOUSEHOLDS

    # --- sinks ------------------------------------------------------------------------

    def _sinks(self) -> None:
        S = Sink
        self.households = S(
            Household,
            [
                "dong",
                "tong",
                "ban",
                "address",
                "address_detail",
                "address_key",
                "lat",
                "lon",
                "housing",
                "groups",
                "created_at",
                "updated_at",
            ],
        )
        self.residents = S(
            Resident,
            [
                "household",
                "name",
                "name_key",
                "birth_date",
                "sex",
                "relation",
                "disability",
                "rrn_encrypted",
                "rrn_index",
            ],
        )
        self.receipts = S(
            BenefitReceipt,
            ["household", "resident", "programme", "started_on", "ended_on", "monthly_amount"],
        )
        self.means = S(
            MeansRecord,
            [
                "resident",
                "household",
                "earned_income",
                "other_income",
                "assets_general",
                "assets_financial",
                "debts",
                "car_value",
                "single_parent",
                "recorded_on",
                "recorded_by",
            ],
        )
        self.events = S(
            TimelineEvent,
            [
                "household",
                "dong",
                "kind",
                "occurred_at",
                "actor",
                "subject_type",
                "subject_id",
                "amount",
                "summary",
            ],
            batch=50_000,
        )
        self.leads = S(
            Lead,
            [
                "dong",
                "household",
                "source",
                "urgency",
                "status",
                "match",
                "reported_by",
                "partner",
                "subject_name",
                "address",
                "crisis_signals",
                "assignee",
                "due_at",
                "created_at",
                "closed_at",
                "close_reason",
            ],
        )
        self.visits = S(
            Visit,
            [
                "household",
                "dong",
                "lead",
                "case",
                "kind",
                "team",
                "planned_on",
                "planned_by",
                "status",
                "outcome",
                "done_at",
            ],
        )
        self.members = S(Visit.members.through, ["visit", "user"])
        self.consents = S(Consent, ["household", "purpose", "scopes", "given_on", "recorded_by"])
        self.assessments = S(
            Assessment,
            [
                "household",
                "visit",
                "assessed_by",
                "assessed_at",
                "needs",
                "overall_risk",
                "consent",
                "decision",
            ],
        )
        self.cases = S(
            Case,
            [
                "household",
                "dong",
                "kind",
                "status",
                "manager",
                "assessment",
                "opened_at",
                "closed_at",
                "close_reason",
            ],
        )
        self.linkages = S(
            Linkage,
            [
                "household",
                "dong",
                "case",
                "assessment",
                "kind",
                "programme",
                "partner",
                "domain",
                "description",
                "status",
                "proposed_by",
                "proposed_at",
                "updated_at",
                "due_at",
                "decline_reason",
                "served_on",
            ],
        )
        self.audit = S(
            AuditRecord, ["user", "username", "at", "action", "household_id", "path", "purpose"]
        )
        self.sinks = [
            self.households,
            self.residents,
            self.receipts,
            self.means,
            self.leads,
            self.consents,
            self.cases,
            self.visits,
            self.members,
            self.assessments,
            self.linkages,
            self.events,
            self.audit,
        ]

    # --- the build --------------------------------------------------------------------

    @transaction.atomic
    def run(self) -> dict[str, int | float]:
        started = time.perf_counter()
        org = build_organisation(
            rng=self.rng, scale=self.scale, demo_accounts=False, today=self.today
        )
        self.org = org
        self.usernames = {
            s.user.pk: s.user.username for team in org.staff.values() for s in team
        } | {s.user.pk: s.user.username for s in org.gu_staff}
        self.staff_of = {
            i: [s.user.pk for s in team if s.role != Role.VISITING_NURSE]
            for i, team in org.staff.items()
        }
        self.nurse_of = {
            i: [s.user.pk for s in team if s.role == Role.VISITING_NURSE] or self.staff_of[i]
            for i, team in org.staff.items()
        }
        self.partner_ids = [p.pk for p in org.partners]
        self._sinks()
        population = PopulationBuilder(
            rng=self.rng, today=self.today, dongs=org.dongs, tongs=org.tongs
        )
        with timeline_triggers_paused(), bulk_load([s.model for s in self.sinks]):
            self._households(population, started)
        reset_sequences([s.model for s in self.sinks])
        # The indicators' tallies counted once from what was loaded (the timeline's triggers
        # were off for the load, and receipts are loaded without people.coverage), and the
        # audit trail's reads per hour (its trigger too is off in a bulk load as a superuser).
        tallied = time.perf_counter()
        tallies_rebuild()
        audit_hours.rebuild()
        self.log(f"  tallies counted in {time.perf_counter() - tallied:.0f} s")
        return {
            **org.counts,
            "households": self.households.count,
            "residents": self.residents.count,
            "benefits": self.receipts.count,
            "means_records": self.means.count,
            "leads": self.leads.count,
            "visits": self.visits.count,
            "assessments": self.assessments.count,
            "consents": self.consents.count,
            "cases": self.cases.count,
            "linkages": self.linkages.count,
            "events": self.events.count,
            "audit_records": self.audit.count,
            "seconds": round(time.perf_counter() - started, 1),
        }

    def _households(self, population, started: float) -> None:
        made = 0
        while made < self.households_wanted:
            count = min(CHUNK, self.households_wanted - made)
            population.plans, population.events = [], []
            plans = population.build(count)
            self._write_population(plans, population.events)
            for plan in plans:
                self._history(plan)
            made += count
            self.log(
                f"  {made:>9,} households, {self.residents.count + len(self.residents.rows):>9,}"
                f" residents ({time.perf_counter() - started:.0f} s)"
            )
        for sink in self.sinks:
            sink.flush()

    def _write_population(self, plans, pop_events) -> None:
        current: dict[int, set[str]] = {}
        residents = []
        for plan in plans:
            h = plan.obj
            h.pk = h.id = self.households.new_id()
            self.households.add(
                (
                    h.pk,
                    h.dong_id,
                    h.tong_id,
                    h.ban_id,
                    h.address,
                    h.address_detail,
                    h.address_key,
                    h.lat,
                    h.lon,
                    h.housing,
                    h.groups,
                    plan.registered_at,
                    plan.registered_at,
                )
            )
            self._event(
                plan.registered_at, "household_registered", h, None, "household", h.pk, str(h)
            )
            for m in plan.members:
                m.pk = m.id = self.residents.new_id()
                m.household_id = h.pk
                resident_fill(m, rrn=getattr(m, "_rrn", None))
                residents.append(m)
                self.residents.add(
                    (
                        m.pk,
                        h.pk,
                        m.name,
                        m.name_key,
                        m.birth_date,
                        m.sex,
                        m.relation,
                        m.disability,
                        m.rrn_encrypted,
                        m.rrn_index,
                    )
                )
            for r in plan.receipts:
                r.pk = r.id = self.receipts.new_id()
                self.receipts.add(
                    (
                        r.pk,
                        h.pk,
                        r.resident.pk if r.resident is not None else None,
                        r.programme,
                        r.started_on,
                        r.ended_on,
                        r.monthly_amount,
                    )
                )
                if r.started_on <= self.today and (r.ended_on is None or r.ended_on >= self.today):
                    current.setdefault(h.pk, set()).add(r.programme)
        for when, kind, dong_id, household, actor_id, subject, amount, summary in pop_events:
            self.events.add(
                (
                    self.events.new_id(),
                    household.pk if household is not None else None,
                    dong_id,
                    kind,
                    when,
                    actor_id,
                    type(subject).__name__.lower() if subject is not None else "",
                    subject.pk if subject is not None else None,
                    amount,
                    summary[:300],
                )
            )
        for m in means_for_demo(self.rng, residents, receipts=current, today=self.today):
            self.means.add(
                (
                    self.means.new_id(),
                    m.resident_id,
                    m.household_id,
                    m.earned_income,
                    m.other_income,
                    m.assets_general,
                    m.assets_financial,
                    m.debts,
                    m.car_value,
                    m.single_parent,
                    m.recorded_on,
                    m.recorded_by_id,
                )
            )

    # --- history of one household -------------------------------------------------------

    def _event(self, when, kind, h, actor, subject_type, subject_id, summary="", amount=None):
        self.events.add(
            (
                self.events.new_id(),
                h.pk,
                h.dong_id,
                kind,
                when,
                actor,
                subject_type,
                subject_id,
                amount,
                summary[:300],
            )
        )

    def _when(self, after: dt.datetime | None = None, days: int = 0) -> dt.datetime:
        if after is None:
            return self.start + dt.timedelta(seconds=self.rng.random() * self.span)
        return after + dt.timedelta(days=days, minutes=self.rng.randint(20, 600))

    def _read(self, user_id: int, when: dt.datetime, h) -> None:
        self.audit.add(
            (
                self.audit.new_id(),
                user_id,
                self.usernames.get(user_id, "staff"),
                when,
                "view",
                h.pk,
                f"/households/{h.pk}/",
                "case_work",
            )
        )

    def _visit(self, plan, *, day_at, actor, kind, team, lead_id=None, case_id=None) -> tuple:
        h, rng = plan.obj, self.rng
        visit_id = self.visits.new_id()
        planned_at = day_at - dt.timedelta(days=rng.randint(1, 5))
        status, outcome, done_at = "planned", "", None
        if day_at < self.cutoff:
            roll = rng.random()
            if roll < 0.02:
                status = "cancelled"
            else:
                status, done_at = "done", day_at
                outcome = "met" if roll < 0.86 else "not_home" if roll < 0.96 else "refused"
        self.visits.add(
            (
                visit_id,
                h.pk,
                h.dong_id,
                lead_id,
                case_id,
                kind,
                team,
                day_at.date(),
                actor,
                status,
                outcome,
                done_at,
            )
        )
        self.members.add((self.members.new_id(), visit_id, actor))
        self._event(
            min(planned_at, self.cutoff),
            "visit_planned",
            h,
            actor,
            "visit",
            visit_id,
            f"{day_at.date().isoformat()} {kind}",
        )
        if done_at is not None:
            self._read(actor, done_at - dt.timedelta(hours=1), h)
            self._event(done_at, "visit_completed", h, actor, "visit", visit_id, outcome)
        return visit_id, done_at, outcome

    def _history(self, plan) -> None:
        rng, h, index = self.rng, plan.obj, plan.dong_index
        officials = self.staff_of[index]
        roll = rng.random()
        n_leads = 2 if roll < 0.06 else 1 if roll < 0.62 else 0
        assessed_at = []
        for _ in range(n_leads):
            created = self._when()
            actor = rng.choice(officials)
            source = _pick(rng, SOURCES)
            match = _pick(rng, (("rrn", 45), ("name_birth_address", 40), ("new", 15)))
            urgency = _pick(rng, (("emergency", 5), ("high", 20), ("normal", 75)))
            lead_id = self.leads.new_id()
            head = plan.members[0]
            self._event(created, "lead_registered", h, None, "lead", lead_id, source)
            if match != "new":
                self._event(created, "lead_matched", h, None, "lead", lead_id, match)
            if plan.hidden:
                self._event(created, "blind_spot_discovered", h, actor, "lead", lead_id)
            status, closed_at, reason, assignee = "new", None, "", None
            fresh = (self.cutoff - created).days < 3
            if not fresh or rng.random() < 0.5:
                assignee, status = actor, "assigned"
                assigned = created + dt.timedelta(hours=rng.randint(1, 30))
                self._read(actor, assigned, h)
                self._event(
                    assigned,
                    "lead_assigned",
                    h,
                    actor,
                    "lead",
                    lead_id,
                    self.usernames.get(actor, ""),
                )
                day_at = self._when(assigned, rng.randint(1, 6))
                visit_id, done_at, outcome = self._visit(
                    plan, day_at=day_at, actor=actor, kind="initial", team="hub", lead_id=lead_id
                )
                status = "visit_planned"
                if done_at is not None and outcome == "met":
                    when = done_at + dt.timedelta(minutes=rng.randint(20, 90))
                    self._assess(plan, visit_id, actor, when)
                    assessed_at.append(when)
                    status = "assessed"
                    close = when + dt.timedelta(days=rng.randint(2, 30))
                    if close < self.cutoff and rng.random() < 0.85:
                        status, closed_at, reason = "closed", close, "상담 후 서비스 연계"
                elif done_at is not None:
                    close = done_at + dt.timedelta(hours=2)
                    status, closed_at, reason = "closed", close, "방문 불발"
                if closed_at is not None:
                    self._event(closed_at, "lead_closed", h, actor, "lead", lead_id, reason)
            self.leads.add(
                (
                    lead_id,
                    h.dong_id,
                    h.pk,
                    source,
                    urgency,
                    status,
                    match,
                    None,
                    rng.choice(self.partner_ids) if source == "partner" else None,
                    head.name,
                    h.address,
                    [],
                    assignee,
                    due_at_for(urgency=urgency, registered_at=created),
                    created,
                    closed_at,
                    reason,
                )
            )
        if rng.random() < 0.25:  # a target-group survey visit without a lead
            actor = rng.choice(officials)
            visit_id, done_at, outcome = self._visit(
                plan, day_at=self._when(), actor=actor, kind="initial", team="hub"
            )
            if done_at is not None and outcome == "met":
                when = done_at + dt.timedelta(minutes=30)
                self._assess(plan, visit_id, actor, when)
                assessed_at.append(when)
        for when in assessed_at:
            for _ in range(_poisson(rng, 1.0)):
                actor = rng.choice(officials)
                day_at = self._when(when, rng.randint(7, 120))
                self._visit(plan, day_at=day_at, actor=actor, kind="follow_up", team="hub")
        if rng.random() < 0.3:
            nurse = rng.choice(self.nurse_of[index])
            self._visit(plan, day_at=self._when(), actor=nurse, kind="health", team="nurse")
        if rng.random() < 0.18:
            actor = rng.choice(officials)
            self._visit(plan, day_at=self._when(), actor=actor, kind="care", team="safety_net")

    def _assess(self, plan, visit_id: int, actor: int, when: dt.datetime) -> None:
        rng, h = self.rng, plan.obj
        needs = dict.fromkeys(Domain.values, 0)
        for domain in rng.sample(DOMAINS, rng.randint(1, 3)):
            needs[domain] = rng.choice((1, 1, 2, 2, 3))
        top = max(needs.values())
        risk = {1: "low", 2: "moderate", 3: "high"}[top]
        if top == 3 and rng.random() < 0.25:
            risk = "crisis"
        weights = {
            "low": (60, 40, 0, 0),
            "moderate": (25, 73, 2, 0),
            "high": (10, 78, 10, 2),
            "crisis": (0, 55, 30, 15),
        }[risk]
        decision = rng.choices(Assessment.Decision.values, weights)[0]
        if plan.case_open_until is not None and decision.startswith("case"):
            decision = "linkage_only"
        consent_id = None
        if decision.startswith("case") or rng.random() < 0.9:
            consent_id = self.consents.new_id()
            scopes = ["hub", "referral"] + (["sensitive"] if needs["health"] else [])
            self.consents.add((consent_id, h.pk, PURPOSE, scopes, when.date(), actor))
            self._event(when, "consent_given", h, actor, "consent", consent_id, ", ".join(scopes))
        assessment_id = self.assessments.new_id()
        self.assessments.add(
            (assessment_id, h.pk, visit_id, actor, when, needs, risk, consent_id, decision)
        )
        self._event(
            when,
            "assessment_recorded",
            h,
            actor,
            "assessment",
            assessment_id,
            f"{risk} · {decision}",
        )
        case_id = None
        if decision.startswith("case"):
            case_id = self.cases.new_id()
            kind = "intensive" if decision == "case_intensive" else "general"
            closed_at = when + dt.timedelta(days=rng.randint(60, 300))
            closed = closed_at < self.cutoff and rng.random() < 0.75
            self.cases.add(
                (
                    case_id,
                    h.pk,
                    h.dong_id,
                    kind,
                    "closed" if closed else "open",
                    actor,
                    assessment_id,
                    when,
                    closed_at if closed else None,
                    "goals_met" if closed else "",
                )
            )
            self._event(when, "case_opened", h, actor, "case", case_id, kind)
            for _ in range(rng.choice((1, 2, 2, 3))):
                self._event(
                    self._when(when, rng.randint(3, 50)), "plan_updated", h, actor, "case", case_id
                )
            if closed:
                self._event(closed_at, "case_closed", h, actor, "case", case_id, "goals_met")
            else:
                plan.case_open_until = self.cutoff
        if decision == "no_need":
            return
        for _ in range(1 + _poisson(rng, 1.2)):
            kind = _pick(rng, LINK_KINDS)
            status = _pick(rng, LINK_STATUS[kind])
            proposed = when + dt.timedelta(minutes=rng.randint(5, 120))
            done = self._when(proposed, rng.randint(1, 30))
            if done >= self.cutoff:
                status, done = ("requested" if kind == "public_benefit" else "proposed"), proposed
            link_id = self.linkages.new_id()
            programme = rng.choice(PUBLIC) if kind == "public_benefit" else ""
            self.linkages.add(
                (
                    link_id,
                    h.pk,
                    h.dong_id,
                    case_id,
                    assessment_id,
                    kind,
                    programme,
                    rng.choice(self.partner_ids) if kind == "partner_referral" else None,
                    rng.choice(DOMAINS),
                    "",
                    status,
                    actor,
                    proposed,
                    done,
                    proposed + dt.timedelta(days=14) if kind == "partner_referral" else None,
                    "other" if status == "declined" else "",
                    done.date() if status == "provided" else None,
                )
            )
            self._event(proposed, "linkage_proposed", h, actor, "linkage", link_id, kind)
            if status in ("provided", "declined"):
                self._event(done, f"linkage_{status}", h, actor, "linkage", link_id, kind)


def build_scale(
    *, residents: int, seed: int = 2026, today: dt.date = facts.ANCHOR_TODAY, log=print
) -> dict[str, int | float]:
    """Build the registry (in one transaction); the caller checks that the district does not
    exist yet. Returns counts and the elapsed seconds."""
    return ScaleBuilder(residents=residents, seed=seed, today=today, log=log).run()
