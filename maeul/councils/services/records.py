"""Writes of a council's own records: its projects (특화사업), budget lines and funds, member
education with attendance, the gu's annual community social security plan with each dong's
part, working groups and the members who sit in two councils.

Hub staff of the council's area write them (dong staff their dong's council and the gu's, the
gu team every council of the gu). The gu's annual plan is the gu team's; a dong official
writes only the part of their own dong. A council's chair or executive member, signed in,
reports on their own council's projects (spending, results, self-assessment), nothing else.
Each service checks everything before it writes: an error leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.councils.models import (
    AnnualPlan,
    BudgetLine,
    Council,
    Education,
    Member,
    PlanPart,
    Project,
    WorkingGroup,
)
from maeul.councils.selectors import councils_visible_to, member_may_report, sitting_members
from maeul.councils.services.guards import _require_manager
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.selectors import dong_ids_of

#: Years a record may be written for: the council's history and next year's plan.
FIRST_YEAR = 2000


def _check_year(year: int, *, field: str = "year") -> None:
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        raise DomainError(
            "bad_year",
            _("The year is between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": last},
            field=field,
        )


def _required(value: str, *, code: str, message: str, field: str) -> str:
    if not value or not value.strip():
        raise DomainError(code, message, field=field)
    return value.strip()


def _check_report(*, budget: int, spent: int, self_score: int | None) -> None:
    if spent < 0:
        raise DomainError("bad_amount", _("Amounts are not negative."), field="spent")
    if spent > budget:
        raise DomainError(
            "overspent", _("Spending cannot exceed the project's budget."), field="spent"
        )
    if self_score is not None and not 1 <= self_score <= 5:
        raise DomainError(
            "bad_score", _("The self-assessment is a score from 1 to 5."), field="self_score"
        )


# -- projects (특화사업) ------------------------------------------------------------------------


@transaction.atomic
def project_save(
    *,
    actor: User,
    council: Council,
    year: int,
    title: str,
    plan: str,
    target_group: str,
    budget: int,
    spent: int = 0,
    results: str = "",
    self_score: int | None = None,
    self_assessment: str = "",
    project: Project | None = None,
) -> Project:
    """A council project, new or edited by hub staff: plan, target group, budget, spending,
    results and the council's self-assessment (1–5 with its words)."""
    _require_manager(actor, council)
    if project is not None and project.council_id != council.pk:
        raise NotFound()
    _check_year(year)
    title = _required(
        title, code="title_required", message=_("Give the project a title."), field="title"
    )
    plan = _required(plan, code="plan_required", message=_("Describe the plan."), field="plan")
    target_group = _required(
        target_group,
        code="target_required",
        message=_("Name the target group."),
        field="target_group",
    )
    if budget < 0:
        raise DomainError("bad_amount", _("Amounts are not negative."), field="budget")
    _check_report(budget=budget, spent=spent, self_score=self_score)
    if self_score is not None and not results.strip():
        raise DomainError(
            "results_required",
            _("Write the results before the self-assessment."),
            field="results",
        )
    project = project or Project(council=council)
    project.year = year
    project.title = title[:120]
    project.plan = plan
    project.target_group = target_group[:120]
    project.budget = budget
    project.spent = spent
    project.results = results.strip()
    project.self_score = self_score
    project.self_assessment = self_assessment.strip()
    project.save()
    return project


@transaction.atomic
def project_report(
    *,
    actor: User,
    project: Project,
    spent: int,
    results: str,
    self_score: int | None,
    self_assessment: str = "",
) -> Project:
    """The council's report on its project — spending, results, self-assessment — by hub staff
    or by the council's own chair or executive members."""
    council = project.council
    if not (actor.is_authenticated and actor.is_hub_staff) and not member_may_report(
        actor, council
    ):
        raise PermissionDenied(_("Only staff and the council's executive members report."))
    if actor.is_hub_staff and not councils_visible_to(actor).filter(pk=council.pk).exists():
        raise NotFound()
    _check_report(budget=project.budget, spent=spent, self_score=self_score)
    if self_score is not None and not results.strip():
        raise DomainError(
            "results_required",
            _("Write the results before the self-assessment."),
            field="results",
        )
    project.spent = spent
    project.results = results.strip()
    project.self_score = self_score
    project.self_assessment = self_assessment.strip()
    project.save(update_fields=["spent", "results", "self_score", "self_assessment"])
    return project


# -- budget and funds -----------------------------------------------------------------------


@transaction.atomic
def budget_line_save(
    *,
    actor: User,
    council: Council,
    year: int,
    source: str,
    amount: int,
    note: str = "",
    line: BudgetLine | None = None,
) -> BudgetLine:
    """One line of the council's budget: a year's money from one source (the gu's subsidy, the
    city's, donations to the council's fund, other)."""
    _require_manager(actor, council)
    if line is not None and line.council_id != council.pk:
        raise NotFound()
    _check_year(year)
    if source not in BudgetLine.Source.values:
        raise DomainError("bad_source", _("Choose where the money comes from."), field="source")
    if amount <= 0:
        raise DomainError("bad_amount", _("The amount is above 0 won."), field="amount")
    line = line or BudgetLine(council=council)
    line.year = year
    line.source = source
    line.amount = amount
    line.note = note.strip()[:200]
    line.save()
    return line


@transaction.atomic
def budget_line_delete(*, actor: User, line: BudgetLine) -> None:
    _require_manager(actor, line.council)
    line.delete()


# -- education ------------------------------------------------------------------------------


@transaction.atomic
def education_save(
    *,
    actor: User,
    council: Council,
    held_on: dt.date,
    kind: str,
    title: str,
    hours: int,
    attendee_ids: Iterable[int] = (),
    education: Education | None = None,
) -> Education:
    """A session of member education (basic or in-depth) and who attended: members of the
    council and those who sit in it from another council; attendance only once it was held."""
    _require_manager(actor, council)
    if education is not None and education.council_id != council.pk:
        raise NotFound()
    if kind not in Education.Kind.values:
        raise DomainError("bad_kind", _("Choose basic or in-depth education."), field="kind")
    title = _required(
        title, code="title_required", message=_("Give the session a title."), field="title"
    )
    if not 1 <= hours <= 40:
        raise DomainError("bad_hours", _("A session lasts 1 to 40 hours."), field="hours")
    wanted = set(attendee_ids)
    if wanted and held_on > timezone.localdate():
        raise DomainError(
            "not_held_yet",
            _("Attendance is recorded once the session has been held."),
            field="attendees",
        )
    attendees = list(sitting_members(council, on=held_on).filter(pk__in=wanted))
    if len(attendees) != len(wanted):
        raise DomainError(
            "unknown_member",
            _("An attendee did not sit in this council on the day of the session."),
            field="attendees",
        )
    education = education or Education(council=council)
    education.held_on = held_on
    education.kind = kind
    education.title = title[:120]
    education.hours = hours
    education.save()
    education.attendees.set(attendees)
    return education


# -- the gu's annual community social security plan -----------------------------------------


def _gu_council(council: Council) -> None:
    if not (council.parent_id is None and council.area.level == Area.Level.SIGUNGU):
        raise DomainError("not_gu_council", _("The annual plan is the gu council's."))


@transaction.atomic
def plan_create(*, actor: User, council: Council, year: int, summary: str) -> AnnualPlan:
    """The gu team opens the year's plan (one a year); each dong's part is written after."""
    _require_manager(actor, council)
    if not actor.is_gu_level:
        raise PermissionDenied(_("Only the gu team writes the gu's annual plan."))
    _gu_council(council)
    _check_year(year)
    summary = _required(
        summary,
        code="summary_required",
        message=_("Summarise the year's plan."),
        field="summary",
    )
    if AnnualPlan.objects.filter(council=council, year=year).exists():
        raise DomainError(
            "year_planned", _("This year's plan already exists: edit it."), field="year"
        )
    return AnnualPlan.objects.create(council=council, year=year, summary=summary)


@dataclass(frozen=True)
class PartInput:
    goals: str = ""
    actions: str = ""
    budget: int = 0

    @property
    def blank(self) -> bool:
        return not self.goals.strip() and not self.actions.strip() and not self.budget


def plan_part_councils(*, actor: User, plan: AnnualPlan) -> QuerySet[Council]:
    """The dong councils whose part of the plan the user writes: every dong council under the
    gu council for the gu team, their own dongs' for dong staff."""
    councils = plan.council.dong_councils.select_related("area").order_by("area__code")
    if actor.is_gu_level:
        return councils
    return councils.filter(area_id__in=dong_ids_of(actor))


@transaction.atomic
def plan_save(
    *,
    actor: User,
    plan: AnnualPlan,
    parts: Mapping[int, PartInput],
    summary: str | None = None,
) -> AnnualPlan:
    """The plan's summary (gu team) and the dongs' parts (keyed by dong council id). A blank
    part removes that dong's part; a part needs both goals and actions. Every part is checked
    before anything is written."""
    _require_manager(actor, plan.council)
    allowed = {c.pk for c in plan_part_councils(actor=actor, plan=plan)}
    if summary is not None:
        if not actor.is_gu_level:
            raise PermissionDenied(_("Only the gu team writes the gu's annual plan."))
        summary = _required(
            summary,
            code="summary_required",
            message=_("Summarise the year's plan."),
            field="summary",
        )
    for council_id, part in parts.items():
        if council_id not in allowed:
            raise NotFound()
        if part.blank:
            continue
        if not part.goals.strip() or not part.actions.strip():
            raise DomainError(
                "part_incomplete",
                _("A dong's part needs both its goals and its actions."),
                field=f"part-{council_id}",
            )
        if part.budget < 0:
            raise DomainError(
                "bad_amount", _("Amounts are not negative."), field=f"part-{council_id}"
            )
    if summary is not None:
        plan.summary = summary
        plan.save(update_fields=["summary"])
    existing = {p.council_id: p for p in plan.parts.all()}
    for council_id, part in parts.items():
        row = existing.get(council_id)
        if part.blank:
            if row is not None:
                row.delete()
            continue
        row = row or PlanPart(plan=plan, council_id=council_id)
        row.goals = part.goals.strip()
        row.actions = part.actions.strip()
        row.budget = part.budget
        row.save()
    return plan


# -- working groups and members in two councils ---------------------------------------------


@transaction.atomic
def group_save(
    *,
    actor: User,
    council: Council,
    name: str,
    member_ids: Iterable[int] = (),
    group: WorkingGroup | None = None,
) -> WorkingGroup:
    """A working group of the council (분과) and its members: the council's own and those who
    sit in it from a dong council."""
    _require_manager(actor, council)
    if group is not None and group.council_id != council.pk:
        raise NotFound()
    name = _required(
        name, code="name_required", message=_("Give the working group a name."), field="name"
    )
    clash = WorkingGroup.objects.filter(council=council, name=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise DomainError(
            "name_taken", _("This council already has a working group of that name."), field="name"
        )
    wanted = set(member_ids)
    members = list(sitting_members(council, on=timezone.localdate()).filter(pk__in=wanted))
    if len(members) != len(wanted):
        raise DomainError(
            "unknown_member",
            _("A member of the group does not sit in this council."),
            field="members",
        )
    group = group or WorkingGroup(council=council)
    group.name = name[:80]
    group.save()
    group.members.set(members)
    return group


@transaction.atomic
def group_delete(*, actor: User, group: WorkingGroup) -> None:
    _require_manager(actor, group.council)
    group.delete()


@transaction.atomic
def guest_set(*, actor: User, council: Council, member: Member, sits: bool) -> Member:
    """A member of a dong council who also sits in the gu council (and its working groups), or
    no longer does: leaving takes them out of the gu council's working groups too."""
    _require_manager(actor, council)
    visible = councils_visible_to(actor)
    if not visible.filter(pk=member.council_id).exists():
        raise NotFound()
    if member.council.parent_id != council.pk:
        raise DomainError(
            "not_dong_member",
            _("Only a member of one of this council's dong councils can also sit in it."),
            field="member",
        )
    if sits:
        member.also_in.add(council)
    else:
        member.also_in.remove(council)
        for group in WorkingGroup.objects.filter(council=council, members=member):
            group.members.remove(member)
    return member
