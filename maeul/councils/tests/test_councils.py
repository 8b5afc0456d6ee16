"""Councils: who sees which council, survey rounds and their fieldwork (links, one answer per
member, paper import all or nothing), the analysis pages and exports, case review only with
the household's council consent."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from maeul.accounts.models import Role
from maeul.councils.bulk import council_tree_build
from maeul.councils.models import Member, SurveyAnswer, SurveyInvite, SurveyRound
from maeul.councils.selectors import councils_visible_to, round_analysis
from maeul.councils.services import (
    ImportErrors,
    case_review_record,
    survey_answer_submit,
    survey_import_paper,
    survey_round_open,
)
from maeul.errors import DomainError, PermissionDenied
from maeul.indicators.selectors import indicator_values
from maeul.people.models import TimelineEvent
from maeul.people.services import consent_record
from tests.factories import AreaFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
TYPES = ["volunteer_group", "resident", "village_head", "worker"]


@pytest.fixture
def councils(gu, dong_a, dong_b):
    gu_council, (council_a, council_b) = council_tree_build(
        gu=gu, dongs=[dong_a, dong_b], established=dt.date(2020, 1, 1)
    )
    for council in (council_a, council_b):
        for k in range(8):
            Member.objects.create(
                council=council,
                name=f"{council.area.name}위원{k}",
                participant_type=TYPES[k % 4],
                position=Member.Position.PUBLIC_COCHAIR if k == 0 else Member.Position.GENERAL,
                sex="f" if k % 2 else "m",
                age_band="50",
                term_start=dt.date(2025, 1, 1),
                term_end=dt.date(2027, 12, 31),
            )
    return gu_council, council_a, council_b


@pytest.fixture
def survey(gu_user, gu, councils):
    return survey_round_open(
        actor=gu_user,
        title="2026 인식조사",
        gus=[gu],
        opened_on=timezone.localdate() - dt.timedelta(days=1),
        closes_on=timezone.localdate() + dt.timedelta(days=20),
    )


def test_staff_see_their_dong_council_and_the_gu_council_members_only_their_own(
    official, gu_user, volunteer, council_member, councils
):
    gu_council, council_a, council_b = councils
    assert set(councils_visible_to(official)) == {gu_council, council_a}
    assert set(councils_visible_to(gu_user)) == {gu_council, council_a, council_b}
    assert not councils_visible_to(volunteer).exists()
    assert not councils_visible_to(council_member).exists()  # no seat yet
    Member.objects.filter(council=council_a).first().__class__.objects.filter(
        pk=council_a.members.first().pk
    ).update(user=council_member)
    assert list(councils_visible_to(council_member)) == [council_a]


def test_council_member_opens_own_council_page_with_area_figures_not_others(
    client, council_member, councils, household_a
):
    _gu, council_a, council_b = councils
    council_a.members.filter(pk=council_a.members.first().pk).update(user=council_member)
    client.force_login(council_member)
    page = client.get(reverse("councils:council_detail", args=[council_a.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Expert information" in body
    assert household_a.head.name not in body  # aggregated indicators only
    assert client.get(reverse("councils:council_detail", args=[council_b.pk])).status_code == 404
    assert client.get(reverse("councils:case_review", args=[council_a.pk])).status_code == 404
    assert client.get(reverse("councils:survey_new")).status_code == 404


def test_round_takes_the_private_members_as_population_and_samples_every_type(
    gu_user, gu, councils
):
    survey = survey_round_open(
        actor=gu_user,
        title="표본 조사",
        gus=[gu],
        opened_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=10),
        sample_rate=0.5,
    )
    # 2 councils × 8 members, the public co-chair (k = 0, a volunteer_group slot) left out.
    assert survey.population == {
        "volunteer_group": 2,
        "resident": 4,
        "village_head": 4,
        "worker": 4,
    }
    invites = list(survey.invites.select_related("member"))
    by_type = {t: sum(1 for i in invites if i.member.participant_type == t) for t in TYPES}
    assert by_type == {"volunteer_group": 1, "resident": 2, "village_head": 2, "worker": 2}
    assert len({i.token for i in invites}) == len(invites) and all(
        len(i.token) >= 30 for i in invites
    )


def test_only_the_gu_team_opens_a_round_of_its_own_gu(official, gu_user, gu, councils):
    with pytest.raises(PermissionDenied):
        survey_round_open(actor=official, title="x", gus=[gu], opened_on=TODAY, closes_on=TODAY)
    other = AreaFactory(code="2635000000", name="해운대구", level="sigungu", parent=gu.parent)
    with pytest.raises(DomainError) as exc:
        survey_round_open(actor=gu_user, title="x", gus=[other], opened_on=TODAY, closes_on=TODAY)
    assert exc.value.code == "bad_gus"
    assert not SurveyRound.objects.exists()


def test_member_answers_once_through_the_link_without_signing_in(client, survey):
    invite = survey.invites.first()
    url = reverse("councils:survey_answer", args=[invite.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"I1": "6", "D1": "5", "D2": "7"})
    assert response.status_code == 302
    assert dict(SurveyAnswer.objects.filter(invite=invite).values_list("item", "answer")) == {
        "I1": 6,
        "D1": 5,
        "D2": 7,
    }
    client.post(url, {"I1": "1"})
    assert SurveyAnswer.objects.filter(invite=invite).count() == 3
    with pytest.raises(DomainError) as exc:
        survey_answer_submit(token=invite.token, answers={"I1": 2})
    assert exc.value.code == "already_answered"
    assert client.get(reverse("councils:survey_answer", args=["not-a-token"])).status_code == 404


def test_out_of_range_answer_writes_nothing(survey):
    invite = survey.invites.first()
    with pytest.raises(DomainError) as exc:
        survey_answer_submit(token=invite.token, answers={"I1": "6", "D1": "9"})
    assert exc.value.code == "answer_out_of_range"
    invite.refresh_from_db()
    assert invite.answered_at is None and not SurveyAnswer.objects.exists()


def _csv(rows: list[list]) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode()


def test_paper_import_is_all_or_nothing_with_row_errors(gu_user, survey):
    ids = [i.member_id for i in survey.invites.order_by("pk")]
    bad = _csv([["member", "I1", "D1"], [ids[0], 5, 6], [ids[1], 5, 8], [99999, 4, 4]])
    with pytest.raises(ImportErrors) as exc:
        survey_import_paper(actor=gu_user, survey=survey, name="paper.csv", content=bad)
    assert [row for row, _msg in exc.value.errors] == [3, 4]
    assert not SurveyAnswer.objects.exists()
    good = _csv([["member", "I1", "D1", "D2"], [ids[0], 5, 6, ""], [ids[1], 3, 4, 4]])
    assert survey_import_paper(actor=gu_user, survey=survey, name="paper.csv", content=good) == 2
    assert SurveyAnswer.objects.count() == 5
    assert survey.invites.filter(source=SurveyInvite.Source.PAPER).count() == 2
    with pytest.raises(ImportErrors):  # the same members again
        survey_import_paper(actor=gu_user, survey=survey, name="paper.csv", content=good)


def test_paper_import_reads_xlsx(gu_user, survey):
    book = Workbook()
    sheet = book.active
    sheet.append(["member", "I1", "K3"])
    sheet.append([survey.invites.first().member_id, 7, 2])
    out = io.BytesIO()
    book.save(out)
    assert (
        survey_import_paper(actor=gu_user, survey=survey, name="p.xlsx", content=out.getvalue())
        == 1
    )
    with pytest.raises(DomainError):
        survey_import_paper(actor=gu_user, survey=survey, name="p.txt", content=b"x")


def _answer_everyone(survey):
    for n, invite in enumerate(survey.invites.order_by("pk")):
        survey_answer_submit(
            token=invite.token, answers={"I1": 3 + n % 5, "D1": 2 + n % 6, "D2": 4, "R1": 1 + n % 7}
        )


def test_round_page_shows_weighted_tables_never_a_members_answers(client, official, survey):
    _answer_everyone(survey)
    client.force_login(official)
    page = client.get(reverse("councils:survey_detail", args=[survey.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "[Table 1]" in body and "[Table 4]" in body and "<svg" in body
    assert "위원1" not in body  # no member's name next to answers
    links = client.get(reverse("councils:survey_links", args=[survey.pk]))
    assert links.status_code == 404  # dong officials do not get the members' links


def test_exports_open_as_excel_and_pdf(client, gu_user, survey):
    _answer_everyone(survey)
    client.force_login(gu_user)
    xlsx = client.get(reverse("councils:survey_xlsx", args=[survey.pk]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Table 1" in book.sheetnames and "Table 11" in book.sheetnames
    pdf = client.get(reverse("councils:survey_pdf", args=[survey.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_exported_files_give_the_pages_analysis(tmp_path, survey):
    _answer_everyone(survey)
    call_command("survey_export", round=survey.pk, dir=str(tmp_path), stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "survey_analyse",
        instrument=str(tmp_path / "I.csv"),
        responses=str(tmp_path / "R.csv"),
        population=str(tmp_path / "P.csv"),
        json=True,
        stdout=out,
    )
    assert json.loads(out.getvalue()) == json.loads(json.dumps(round_analysis(survey).as_json()))


def test_case_review_needs_the_households_council_consent(official, councils, dong_a):
    _gu, council_a, _b = councils
    household = HouseholdFactory(dong=dong_a, head="이검토")
    with pytest.raises(DomainError) as exc:
        case_review_record(
            actor=official,
            council=council_a,
            household=household,
            decision="지원",
            reviewed_on=TODAY,
        )
    assert exc.value.code == "no_council_consent"
    consent_record(
        actor=official,
        household=household,
        purpose="협의체 사례 심의",
        scopes=["council"],
        given_on=TODAY,
    )
    review = case_review_record(
        actor=official,
        council=council_a,
        household=household,
        decision="긴급지원 연계",
        reviewed_on=TODAY,
    )
    event = TimelineEvent.objects.get(
        household=household, subject_type="casereview", subject_id=review.pk
    )
    assert "긴급지원 연계" in event.summary
    # A kind of its own: not a case conference (cases' conferences keep "conference_held").
    assert event.kind == TimelineEvent.Kind.COUNCIL_REVIEW
    assert not TimelineEvent.objects.filter(
        household=household, kind=TimelineEvent.Kind.CONFERENCE_HELD
    ).exists()


def test_council_review_shows_on_the_household_timeline_with_its_label(
    client, official, councils, dong_a
):
    _gu, council_a, _b = councils
    household = HouseholdFactory(dong=dong_a, head="이타임")
    consent_record(
        actor=official, household=household, purpose="심의", scopes=["council"], given_on=TODAY
    )
    case_review_record(
        actor=official,
        council=council_a,
        household=household,
        decision="돌봄 연계",
        reviewed_on=TODAY,
    )
    client.force_login(official)
    with translation.override("en"):
        body = client.get(
            reverse("hub:household_detail", args=[household.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert 'data-kind="council_review"' in body
    assert str(TimelineEvent.Kind.COUNCIL_REVIEW.label) in body
    assert "돌봄 연계" in body


def test_council_reviews_are_not_counted_by_the_indicators(official, councils, dong_a, gu):
    _gu, council_a, _b = councils
    household = HouseholdFactory(dong=dong_a, head="이지표")
    consent_record(
        actor=official, household=household, purpose="심의", scopes=["council"], given_on=TODAY
    )
    today = timezone.localdate()
    before = indicator_values(gu=gu, start=today - dt.timedelta(days=30), end=today)
    case_review_record(
        actor=official, council=council_a, household=household, decision="지원", reviewed_on=today
    )
    after = indicator_values(gu=gu, start=today - dt.timedelta(days=30), end=today)
    assert after == before


def test_case_review_page_lists_only_consented_households(client, official, councils, dong_a):
    _gu, council_a, _b = councils
    yes = HouseholdFactory(dong=dong_a, head="동의함")
    HouseholdFactory(dong=dong_a, head="동의안함")
    consent_record(
        actor=official, household=yes, purpose="심의", scopes=["council"], given_on=TODAY
    )
    client.force_login(official)
    body = client.get(reverse("councils:case_review", args=[council_a.pk])).content.decode()
    assert "동의함" in body and "동의안함" not in body


def test_non_staff_roles_get_no_council_pages(client, volunteer, partner_user, councils):
    for user in (volunteer, partner_user, UserFactory(username="c2", role=Role.CSSC_MEMBER)):
        client.force_login(user)
        assert client.get(reverse("councils:index")).status_code == 404


def test_staff_add_members_and_record_meetings_and_follow_ups(client, official, councils):
    _gu, council_a, council_b = councils
    client.force_login(official)
    response = client.post(
        reverse("councils:member_new", args=[council_a.pk]),
        {
            "name": "한새봄",
            "participant_type": "worker",
            "affiliations": ["worker", "volunteer_group"],
            "position": "executive",
            "sex": "f",
            "age_band": "40",
            "term_start": "2026-01-01",
            "term_end": "2025-12-31",
            "teams_led": "",
        },
    )
    assert (
        response.status_code == 200
        and "The term ends before it starts." in response.content.decode()
    )
    assert not council_a.members.filter(name="한새봄").exists()
    members = list(council_a.members.values_list("pk", flat=True)[:3])
    response = client.post(
        reverse("councils:meeting_new", args=[council_a.pk]),
        {
            "held_on": "2026-11-10",
            "kind": "plenary",
            "agenda": "특화사업 심의",
            "decisions": "반찬 나눔 확대\n\n예산 승인",
            "attendees": [str(pk) for pk in members],
        },
    )
    assert response.status_code == 302
    meeting = council_a.meetings.get()
    assert meeting.attendees.count() == 3 and meeting.decisions.count() == 2
    decision = meeting.decisions.first()
    client.post(
        reverse("councils:decision_done", args=[council_a.pk, decision.pk]), {"carried_out": "yes"}
    )
    decision.refresh_from_db()
    assert decision.carried_out is True
    # Another dong's council: not this official's.
    assert client.get(reverse("councils:meeting_new", args=[council_b.pk])).status_code == 404
    assert (
        client.post(
            reverse("councils:decision_done", args=[council_b.pk, decision.pk]),
            {"carried_out": "no"},
        ).status_code
        == 404
    )
