"""Case-work pages: assessment form, case list and detail, opening, linkages, referrals,
household and dashboard partials."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from maeul.accounts.models import Role
from maeul.cases.models import Assessment, Case, Domain, FollowUp, Goal, Linkage
from maeul.cases.selectors import follow_ups_overdue, household_work
from maeul.cases.services import assessment_record, case_open, linkage_propose
from maeul.people.models import Consent, TimelineEvent
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def assessment_post(**overrides):
    data = {f"need_{d}": "0" for d in Domain.values}
    data.update(
        need_income="3",
        overall_risk="high",
        decision="case_general",
        consent_given="on",
        consent_date="2026-11-20",
        consent_scopes=["hub"],
        summary="",
    )
    data.update(overrides)
    return data


def open_case(official, household, **kw):
    Consent.objects.create(
        household=household, purpose="t", scopes=["hub"], given_on=dt.date(2026, 1, 1)
    )
    return case_open(actor=official, household=household, kind="general", manager=official, **kw)


def test_assessment_form_renders_eleven_domains(client, official, household_a):
    client.force_login(official)
    response = client.get(reverse("cases:assessment_create", args=[household_a.pk]))
    assert response.status_code == 200
    assert len(response.context["form"].need_fields()) == 11


def test_assessment_without_consent_shows_error_in_place(client, official, household_a):
    client.force_login(official)
    data = assessment_post()
    del data["consent_given"]
    response = client.post(reverse("cases:assessment_create", args=[household_a.pk]), data)
    assert response.status_code == 200
    assert "consent_given" in response.context["form"].errors
    assert b"has-error" in response.content
    assert not Assessment.objects.exists() and not TimelineEvent.objects.exists()


def test_assessment_with_case_decision_leads_to_case_open(client, official, household_a):
    client.force_login(official)
    response = client.post(
        reverse("cases:assessment_create", args=[household_a.pk]), assessment_post()
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert response.url == (
        reverse("cases:case_open", args=[household_a.pk]) + f"?assessment={assessment.pk}"
    )
    response = client.post(
        response.url,
        {
            "assessment": assessment.pk,
            "kind": "general",
            "manager": official.pk,
            "follow_up_every_days": "14",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cases:case_detail", args=[case.pk]
    )
    assert case.assessment == assessment


def test_case_open_twice_shows_error_in_place(client, official, household_a):
    open_case(official, household_a)
    client.force_login(official)
    response = client.post(
        reverse("cases:case_open", args=[household_a.pk]),
        {"kind": "general", "manager": official.pk, "follow_up_every_days": "30"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Case.objects.count() == 1


def test_case_pages_are_404_for_other_dong_volunteer_and_partner(
    client, official, official_b, volunteer, partner_user, household_a
):
    case = open_case(official, household_a)
    for user in (official_b, volunteer, partner_user):
        client.force_login(user)
        assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
        assert (
            client.get(reverse("cases:assessment_create", args=[household_a.pk])).status_code == 404
        )
    client.force_login(official_b)
    assert client.get(reverse("cases:case_list")).context["cases"] == []


def post_case(client, case, data):
    """A post from the case page as just loaded: it carries the case's current version."""
    version = Case.objects.values_list("version", flat=True).get(pk=case.pk)
    url = reverse("cases:case_detail", args=[case.pk])
    return client.post(url, {"version": version, **data})


def test_case_detail_actions(client, official, household_a):
    case = open_case(official, household_a)
    client.force_login(official)
    url = reverse("cases:case_detail", args=[case.pk])
    assert client.get(url).status_code == 200
    response = post_case(
        client,
        case,
        {"action": "goal_add", "goal-domain": "housing", "goal-description": "주거급여 신청"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    post_case(client, case, {"action": "goal_status", "goal": goal.pk, "status": "achieved"})
    goal.refresh_from_db()
    assert goal.status == "achieved"
    response = post_case(
        client,
        case,
        {
            "action": "conference",
            "conf-held_on": "2026-11-20",
            "conf-level": "dong",
            "conf-participants": "팀장",
        },
    )
    assert response.status_code == 302 and case.conferences.count() == 1
    # Closing asks the team lead; the case stays open until the lead approves.
    response = post_case(
        client, case, {"action": "close_request", "close-reason": "goals_met", "close-note": "자립"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "open"
    signoff = case.signoffs.get()
    assert signoff.subject == "closure" and signoff.status == "pending"
    assert signoff.close_reason == "goals_met" and signoff.note == "자립"
    page = client.get(url).content.decode()
    assert 'name="action" value="close_request"' not in page
    lead = UserFactory(role=Role.WELFARE_MANAGER, home_area=household_a.dong)
    client.force_login(lead)
    post_case(
        client, case, {"action": "signoff_decide", "signoff": signoff.pk, "decision": "approve"}
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.close_reason == "goals_met"
    client.force_login(official)
    post_case(client, case, {"action": "reopen"})
    case.refresh_from_db()
    assert case.status == "open"


def test_no_page_path_closes_a_case_without_sign_off(client, official, household_a):
    """The old direct close, a forged action, the worker approving their own request: the
    case stays open."""
    case = open_case(official, household_a)
    client.force_login(official)
    for data in (
        {"action": "close", "close-reason": "goals_met"},
        {"action": "case_close", "reason": "goals_met"},
    ):
        response = post_case(client, case, data)
        assert response.status_code == 404
    post_case(client, case, {"action": "close_request", "close-reason": "moved"})
    signoff = case.signoffs.get()
    response = post_case(
        client, case, {"action": "signoff_decide", "signoff": signoff.pk, "decision": "approve"}
    )
    case.refresh_from_db()
    signoff.refresh_from_db()
    assert case.status == "open" and signoff.status == "pending"
    assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.CASE_CLOSED).exists()


def test_case_detail_form_errors_in_place(client, official, household_a):
    case = open_case(official, household_a)
    client.force_login(official)
    response = post_case(
        client, case, {"action": "goal_add", "goal-domain": "housing", "goal-description": ""}
    )
    assert response.status_code == 400
    assert "description" in response.context["goal_form"].errors
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = post_case(
        client,
        case,
        {
            "action": "conference",
            "conf-held_on": future,
            "conf-level": "dong",
            "conf-participants": "x",
        },
    )
    assert response.status_code == 400
    assert "held_on" in response.context["conference_form"].errors
    assert not Goal.objects.exists() and not case.conferences.exists()


def test_case_list_highlights_overdue_and_counts_queries(
    client, official, dong_a, django_assert_max_num_queries
):
    for _ in range(6):
        open_case(official, HouseholdFactory(dong=dong_a))
    FollowUp.objects.update(due_on=timezone.localdate() - dt.timedelta(days=2))
    client.force_login(official)
    with django_assert_max_num_queries(12):  # 10, the pager's count, the page's rows
        response = client.get(reverse("cases:case_list"))
    assert len(response.context["cases"]) == 6
    assert response.content.decode().count('class="overdue"') == 6


def test_linkage_form_referral_without_partner_errors_in_place(client, official, household_a):
    client.force_login(official)
    url = reverse("cases:linkage_create", args=[household_a.pk])
    response = client.post(url, {"kind": "partner_referral", "description": "상담"})
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not Linkage.objects.exists()


def test_linkage_form_and_status_action(
    client, official, partner_org, household_a, referral_consent
):
    referral_consent(household_a)
    client.force_login(official)
    url = reverse("cases:linkage_create", args=[household_a.pk])
    response = client.post(
        url, {"kind": "partner_referral", "partner": partner_org.pk, "description": "상담"}
    )
    assert response.status_code == 302
    linkage = Linkage.objects.get()
    client.post(reverse("cases:linkage_status", args=[linkage.pk]), {"status": "requested"})
    linkage.refresh_from_db()
    assert linkage.status == "proposed"  # a referral is the partner's to answer
    client.post(reverse("cases:linkage_status", args=[linkage.pk]), {"status": "withdrawn"})
    linkage.refresh_from_db()
    assert linkage.status == "withdrawn"


def test_partner_referral_page_lists_own_and_updates(
    client,
    official,
    partner_user,
    partner_org,
    household_a,
    household_b,
    official_b,
    referral_consent,
):
    referral_consent(household_a)
    referral_consent(household_b, actor=official_b)
    mine = linkage_propose(
        actor=official,
        household=household_a,
        kind="partner_referral",
        partner=partner_org,
        description="방문 상담",
    )
    linkage_propose(actor=official_b, household=household_b, kind="emergency_aid", description="x")
    client.force_login(partner_user)
    response = client.get(reverse("cases:referral_list"))
    assert response.status_code == 200
    assert response.context["referrals"] == [mine]
    response = client.post(reverse("cases:linkage_status", args=[mine.pk]), {"status": "accepted"})
    assert response.status_code == 302
    response = client.post(
        reverse("cases:linkage_status", args=[mine.pk]), {"status": "provided", "note": "상담"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "provided"
    other = Linkage.objects.exclude(pk=mine.pk).get()
    response = client.post(reverse("cases:linkage_status", args=[other.pk]), {"status": "declined"})
    assert response.status_code == 404


def test_referral_page_is_404_for_staff(client, official):
    client.force_login(official)
    assert client.get(reverse("cases:referral_list")).status_code == 404


def test_household_partials_render_with_selector(official, household_a):
    assessment_record(
        actor=official,
        household=household_a,
        needs={"income": 3},
        overall_risk="high",
        decision="case_general",
        consent_given=True,
    )
    open_case(official, household_a)
    request = RequestFactory().get("/")
    request.user = official
    html = Template(
        '{% include "cases/_household_cases.html" %}{% include "visits/_household_visits.html" %}'
    ).render(Context({"household": household_a, "request": request, "user": official}))
    assert "household-cases" in html and "household-visits" in html
    work = household_work(user=official, household=household_a)
    assert set(work) == {
        "household_visits",
        "household_assessments",
        "household_cases",
        "household_linkages",
    }


def test_overdue_partial(official, household_a):
    from django.template.loader import render_to_string

    open_case(official, household_a)
    FollowUp.objects.update(due_on=timezone.localdate() - dt.timedelta(days=1))
    html = render_to_string(
        "cases/_overdue_followups.html", {"overdue_followups": follow_ups_overdue(user=official)}
    )
    assert str(household_a) in html


def test_referral_page_query_count(
    client,
    official,
    partner_user,
    partner_org,
    dong_a,
    django_assert_max_num_queries,
    referral_consent,
):
    for _ in range(6):
        linkage_propose(
            actor=official,
            household=referral_consent(HouseholdFactory(dong=dong_a)).household,
            kind="partner_referral",
            partner=partner_org,
        )
    client.force_login(partner_user)
    with django_assert_max_num_queries(10):  # 8, the paged list's count, the page's rows
        response = client.get(reverse("cases:referral_list"))
    assert len(response.context["referrals"]) == 6


def test_an_untouched_assessment_form_records_nothing(client, official, household_a):
    from maeul.cases.models import Assessment

    client.force_login(official)
    response = client.post(f"/cases/assess/{household_a.pk}/", {})
    assert response.status_code in (200, 400)
    assert "field-error" in response.content.decode()  # errors next to the fields
    assert not Assessment.objects.exists()
