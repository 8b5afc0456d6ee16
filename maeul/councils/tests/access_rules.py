"""Access rules of the councils app: staff see their dong's council and the gu's, the gu team
all of their gu's; a council member only their own council; survey rounds are staff pages
(the gu team runs them); the answer link is public, its token the key."""

from __future__ import annotations

import datetime as dt

from maeul.accounts.models import Role, User
from maeul.areas.models import Area
from maeul.councils.bulk import council_tree_build
from maeul.councils.models import (
    AnnualPlan,
    BudgetLine,
    Decision,
    Education,
    Meeting,
    Member,
    PlanPart,
    Project,
    SurveyAnswer,
    SurveyInvite,
    SurveyRound,
    WorkingGroup,
    Zone,
)
from tests.access import PUBLIC, STAFF, rule

GU_TEAM = {"gu_user", "admin_user"}
RULES = {
    "councils:index": rule(readers=STAFF | {"council_member"}),
    "councils:council_detail": rule("council", STAFF | {"council_member"}),
    "councils:meeting_new": rule("council", STAFF),
    "councils:case_review": rule("council", STAFF),
    "councils:member_new": rule("council", STAFF),
    "councils:member_edit": rule("member", STAFF),
    "councils:member_end": rule("member", method="POST"),
    "councils:decision_done": rule("decision", method="POST"),
    "councils:survey_new": rule(readers=GU_TEAM),
    "councils:survey_detail": rule("survey_round", STAFF),
    "councils:survey_links": rule("survey_round", GU_TEAM),
    "councils:survey_xlsx": rule("survey_round", STAFF),
    "councils:survey_pdf": rule("survey_round", STAFF),
    "councils:survey_import": rule("survey_round", method="POST"),
    "councils:survey_answer": PUBLIC,
    "councils:zones": rule(readers=STAFF),
    "councils:zone_detail": rule("zone", STAFF),
    "councils:project_new": rule("council", STAFF),
    # The council's executive member (the matrix's council_member) reports on its projects.
    "councils:project_edit": rule("project", STAFF | {"council_member"}),
    "councils:budget": rule("council", STAFF | {"council_member"}),
    "councils:budget_edit": rule("budget_line", STAFF),
    "councils:education_new": rule("council", STAFF),
    "councils:education_edit": rule("education", STAFF),
    "councils:plan_new": rule("gu_council", GU_TEAM),
    "councils:plan_edit": rule("plan", STAFF),
    "councils:groups": rule("council", STAFF | {"council_member"}),
    "councils:group_edit": rule("working_group", STAFF),
    "councils:guest": rule("council", method="POST"),
}
PARAMS = {
    "council_id": "council",
    "member_id": "member",
    "round_id": "survey_round",
    "token": "survey_token",
    "zone_id": "zone",
    "decision_id": "decision",
    "gu_council_id": "gu_council",
    "project_id": "project",
    "line_id": "budget_line",
    "education_id": "education",
    "plan_id": "plan",
    "group_id": "working_group",
}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    gu_council, (council,) = council_tree_build(
        gu=dong.parent, dongs=[dong], established=dt.date(2020, 1, 1)
    )
    today = dt.date(2026, 11, 20)
    member = Member.objects.create(
        council=council,
        name=f"{marker}박위원",
        participant_type="resident",
        sex="f",
        age_band="50",
        term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2027, 12, 31),
        position=Member.Position.EXECUTIVE,
        user=User.objects.filter(role=Role.CSSC_MEMBER, home_area=dong).first(),
    )
    survey = SurveyRound.objects.create(
        title=f"{marker}인식조사",
        opened_on=today,
        closes_on=today + dt.timedelta(days=30),
        population={"resident": 1},
    )
    survey.gus.set([dong.parent])
    invite = SurveyInvite.objects.create(round=survey, member=member)
    answered = SurveyInvite.objects.create(
        round=survey,
        member=Member.objects.create(
            council=council,
            name=f"{marker}최위원",
            participant_type="resident",
            sex="m",
            age_band="60",
            term_start=dt.date(2025, 1, 1),
            term_end=dt.date(2027, 12, 31),
        ),
        answered_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
    )
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(invite=answered, item=i, answer=5) for i in ("I1", "D1", "D2", "R1")]
    )
    tong = Area.objects.create(
        code=f"{dong.code}-T90", name=f"{marker}90통", level=Area.Level.TONG, parent=dong
    )
    zone = Zone.objects.create(
        dong=dong, name=f"{marker}특별지원구역", selected_on=today, reasons=f"{marker}사유"
    )
    zone.tongs.set([tong])
    meeting = Meeting.objects.create(council=council, held_on=today, agenda=f"{marker}안건")
    decision = Decision.objects.create(meeting=meeting, text=f"{marker}의결")
    project = Project.objects.create(
        council=council,
        year=2026,
        title=f"{marker}반찬 나눔",
        plan=f"{marker}계획",
        target_group=f"{marker}어르신",
        budget=1_000_000,
    )
    line = BudgetLine.objects.create(
        council=council, year=2026, source="gu", amount=5_000_000, note=f"{marker}보조금"
    )
    education = Education.objects.create(
        council=council, held_on=today, kind="basic", title=f"{marker}기본교육"
    )
    education.attendees.set([member])
    plan = AnnualPlan.objects.create(council=gu_council, year=2026, summary=f"{marker}시행계획")
    PlanPart.objects.create(
        plan=plan, council=council, goals=f"{marker}목표", actions=f"{marker}활동"
    )
    group = WorkingGroup.objects.create(council=council, name=f"{marker}발굴분과")
    member.also_in.add(gu_council)
    group.members.set([member])
    scope.update(
        gu_council=gu_council.pk,
        project=project.pk,
        budget_line=line.pk,
        education=education.pk,
        plan=plan.pk,
        working_group=group.pk,
        decision=decision.pk,
        council=council.pk,
        member=member.pk,
        survey_round=survey.pk,
        survey_token=invite.token,
        zone=zone.pk,
    )
