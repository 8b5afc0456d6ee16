"""Reads of the councils app, always from the acting user.

Scope: dong staff see their dong's council and the gu council above it; the gu team and
administrators every council of their gu; a council member (role cssc_member) only the council
they sit in. Survey answers are never read person by person: pages get the analysis."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from maeul.accounts.models import Role, User
from maeul.areas.models import Area
from maeul.councils.models import (
    Council,
    Member,
    SurveyAnswer,
    SurveyInvite,
    SurveyRound,
)
from maeul.councils.survey.analysis import SurveyResult, analyse
from maeul.councils.survey.instrument import ITEMS
from maeul.errors import NotFound
from maeul.people.selectors import dong_ids_of


def member_of(user: User) -> Member | None:
    if not user.is_authenticated or getattr(user, "role", None) != Role.CSSC_MEMBER:
        return None
    return Member.objects.filter(user=user).select_related("council__area").first()


#: Positions whose members report on their council's projects (results, self-assessment).
REPORTING_POSITIONS = (Member.Position.PRIVATE_CHAIR, Member.Position.EXECUTIVE)


def member_may_report(user: User, council: Council) -> bool:
    """A signed-in council member who chairs or sits on the executive of this council."""
    member = member_of(user)
    return bool(
        member is not None
        and member.council_id == council.pk
        and member.position in REPORTING_POSITIONS
    )


def sitting_members(council: Council, *, on: dt.date | None = None) -> QuerySet[Member]:
    """Who sits in a council: its own members and those of a dong council who also sit in it
    (the gu council's guests); with `on`, only those whose term covered that day."""
    members = Member.objects.filter(Q(council=council) | Q(also_in=council))
    if on is not None:
        members = members.filter(term_start__lte=on, term_end__gte=on)
    return (
        members.select_related("council").distinct().order_by("council__area__code", "name", "pk")
    )


def guests_of(council: Council) -> QuerySet[Member]:
    """Members of other councils who also sit in this one."""
    return (
        Member.objects.filter(also_in=council)
        .select_related("council")
        .order_by("council__area__code", "name", "pk")
    )


def councils_visible_to(user: User) -> QuerySet[Council]:
    councils = Council.objects.select_related("area", "parent__area")
    if not user.is_authenticated or not user.is_active:
        return councils.none()
    if user.is_hub_staff:
        dongs = dong_ids_of(user)
        gus = Area.objects.filter(pk__in=dongs).values("parent_id")
        return councils.filter(Q(area_id__in=dongs) | Q(area_id__in=gus))
    member = member_of(user)
    if member is not None:
        return councils.filter(pk=member.council_id)
    return councils.none()


def council_get(*, user: User, council_id: int) -> Council:
    council = councils_visible_to(user).filter(pk=council_id).first()
    if council is None:
        raise NotFound()
    return council


def council_overview(*, user: User, council: Council) -> dict:
    """Everything a council's page shows: members, meetings with decisions and attendance,
    projects, budget, education, plan parts. Members' own accounts see the same page; no
    household appears here."""
    rank = {p: k for k, p in enumerate(Member.Position.values)}  # chair, co-chair, …
    members = sorted(council.members.all(), key=lambda m: (rank[m.position], m.name))
    meetings = list(
        council.meetings.prefetch_related("decisions")
        .annotate(present=Count("attendees"))
        .order_by("-held_on")
    )
    decisions = [d for m in meetings for d in m.decisions.all()]
    carried = sum(1 for d in decisions if d.carried_out)
    projects = list(council.projects.all())
    budget = council.budget_lines.values("year").annotate(total=Sum("amount")).order_by("-year")
    educations = list(council.educations.annotate(present=Count("attendees")))
    return {
        "members": members,
        "sitting": sum(1 for m in members if m.term_end >= timezone.localdate()),
        "meetings": meetings,
        "decisions": len(decisions),
        "carried": carried,
        "projects": projects,
        "budget": list(budget),
        "educations": educations,
        "dong_councils": list(council.dong_councils.select_related("area"))
        if council.parent_id is None
        else [],
        "plans": list(council.plans.prefetch_related("parts__council")),
        "plan_parts": list(council.plan_parts.select_related("plan")),
        "attendance": (
            round(100 * sum(m.present for m in meetings) / (len(meetings) * len(members)))
            if meetings and members
            else None
        ),
    }


def rounds_visible_to(user: User) -> QuerySet[SurveyRound]:
    """Rounds over a gu the user works in (hub staff only; members answer through their link)."""
    if not user.is_authenticated or not user.is_hub_staff:
        return SurveyRound.objects.none()
    gus = Area.objects.filter(pk__in=dong_ids_of(user)).values("parent_id")
    return SurveyRound.objects.filter(gus__in=gus).distinct()


def round_get(*, user: User, round_id: int) -> SurveyRound:
    found = rounds_visible_to(user).filter(pk=round_id).first()
    if found is None:
        raise NotFound()
    return found


def invite_by_token(token: str) -> SurveyInvite:
    invite = (
        SurveyInvite.objects.select_related("round", "member__council").filter(token=token).first()
    )
    if invite is None or not token:
        raise NotFound()
    return invite


def round_responses(survey: SurveyRound) -> pl.DataFrame:
    """The round's answers in the shape of `survey_analyse`'s R.csv (respondent = invite)."""
    rows = SurveyAnswer.objects.filter(invite__round=survey).values_list(
        "invite_id",
        "invite__member__council__area__code",
        "invite__member__council__area__subtype",
        "invite__member__participant_type",
        "item",
        "answer",
    )
    data = list(rows)
    return pl.DataFrame(
        {
            "respondent": [str(r[0]) for r in data],
            "community": [r[1] for r in data],
            "community_type": [r[2] or "dong" for r in data],
            "participant_type": [r[3] for r in data],
            "item": [r[4] for r in data],
            "answer": [str(r[5]) for r in data],
        },
        schema={
            c: pl.Utf8
            for c in (
                "respondent",
                "community",
                "community_type",
                "participant_type",
                "item",
                "answer",
            )
        },
    )


def round_analysis(survey: SurveyRound) -> SurveyResult | None:
    responses = round_responses(survey)
    if responses.height == 0:
        return None
    return analyse(items=ITEMS, responses=responses, population=survey.population)


def round_fieldwork(survey: SurveyRound) -> dict:
    """Table 1 of seed 000: population, sample and responses (gus, communities, members)."""
    gus = list(survey.gus.all())
    dong_councils = Council.objects.filter(area__parent__in=gus)
    invites = survey.invites.all()
    answered = invites.filter(answered_at__isnull=False)
    population = sum(survey.population.values())
    sample = invites.count()
    responses = answered.count()
    return {
        "population": {
            "gus": len(gus),
            "communities": dong_councils.count(),
            "members": population,
        },
        "sample": {
            "gus": invites.values("member__council__area__parent").distinct().count(),
            "communities": invites.values("member__council").distinct().count(),
            "members": sample,
        },
        "response": {
            "gus": answered.values("member__council__area__parent").distinct().count(),
            "communities": answered.values("member__council").distinct().count(),
            "members": responses,
            "rate": 100 * responses / sample if sample else None,
            "paper": answered.filter(source=SurveyInvite.Source.PAPER).count(),
        },
    }


def round_respondents(survey: SurveyRound) -> dict[str, dict[str, int]]:
    """Table 2 of seed 000: the respondents' characteristics (counts; affiliations multiple)."""
    members = list(
        Member.objects.filter(
            survey_invites__round=survey, survey_invites__answered_at__isnull=False
        ).select_related("council__area__parent")
    )
    table: dict[str, dict[str, int]] = {
        "gu_type": {},
        "community_type": {},
        "sex": {},
        "position": {},
        "age": {},
        "affiliation": {},
    }

    def bump(key: str, value: str) -> None:
        table[key][value] = table[key].get(value, 0) + 1

    for m in members:
        area = m.council.area
        bump("gu_type", area.parent.kind if area.parent else "")
        bump("community_type", area.kind)
        bump("sex", m.sex)
        bump("position", "executive" if m.position != Member.Position.GENERAL else "general")
        bump("age", m.age_band)
        for affiliation in m.affiliations or [m.participant_type]:
            bump("affiliation", affiliation)
    table["total"] = {"n": len(members)}
    return table
