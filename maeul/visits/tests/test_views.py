"""Visit pages: the day plan, planning with the htmx overlap warning, recording."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.accounts.models import AuditRecord
from maeul.visits.models import Visit
from maeul.visits.services import visit_plan
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_day_plan_lists_joint_visit_under_each_member_with_all_members(
    client, official, nurse, household_a, today
):
    visit_plan(actor=official, household=household_a, planned_on=today, members=[official, nurse])
    client.force_login(official)
    response = client.get(reverse("visits:visit_list"), {"member": "all"})
    assert response.status_code == 200
    rounds = response.context["rounds"]
    assert {r["member"] for r in rounds} == {official, nurse}
    content = response.content.decode()
    assert content.count(nurse.label) >= 2  # heading + member list
    assert AuditRecord.objects.filter(household_ids=[household_a.pk]).exists()


def test_day_plan_defaults_to_me_today(client, official, nurse, household_a, today):
    visit_plan(actor=nurse, household=household_a, planned_on=today)
    visit_plan(actor=official, household=household_a, planned_on=today + dt.timedelta(days=1))
    client.force_login(official)
    response = client.get(reverse("visits:visit_list"))
    assert response.context["visit_count"] == 0
    response = client.get(
        reverse("visits:visit_list"), {"day": (today + dt.timedelta(days=1)).isoformat()}
    )
    assert response.context["visit_count"] == 1


def test_day_plan_query_count_does_not_grow(
    client, official, nurse, dong_a, today, django_assert_max_num_queries
):
    for _ in range(8):
        household = HouseholdFactory(dong=dong_a)
        visit_plan(actor=official, household=household, planned_on=today, members=[official, nurse])
    client.force_login(official)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("visits:visit_list"), {"member": "all"})
    assert response.context["visit_count"] == 8


def test_plan_page_out_of_scope_is_404(client, official_b, household_a):
    client.force_login(official_b)
    response = client.get(reverse("visits:visit_plan"), {"household": household_a.pk})
    assert response.status_code == 404


def test_plan_form_saves_and_shows_overlap_as_message(client, official, nurse, household_a, today):
    visit_plan(actor=nurse, household=household_a, planned_on=today + dt.timedelta(days=3))
    client.force_login(official)
    response = client.post(
        reverse("visits:visit_plan"),
        {
            "household": household_a.pk,
            "planned_on": today.isoformat(),
            "members": [official.pk],
            "kind": "initial",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Visit.objects.filter(team="hub").count() == 1
    texts = [str(m) for m in response.context["messages"]]
    assert any(nurse.label in t for t in texts)


def test_plan_form_shows_errors_in_place(client, official, household_a):
    client.force_login(official)
    response = client.post(
        reverse("visits:visit_plan"),
        {"household": household_a.pk, "planned_on": "", "members": [], "kind": "initial"},
    )
    assert response.status_code == 200
    assert "planned_on" in response.context["form"].errors
    assert b"field-error" in response.content
    assert not Visit.objects.exists()


def test_overlap_partial_for_htmx(client, official, nurse, household_a, today):
    visit_plan(actor=nurse, household=household_a, planned_on=today)
    client.force_login(official)
    url = reverse("visits:visit_overlap")
    response = client.get(
        url, {"household": household_a.pk, "planned_on": today.isoformat()}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"warning-box" in response.content and nurse.label.encode() in response.content
    far = (today + dt.timedelta(days=30)).isoformat()
    response = client.get(url, {"household": household_a.pk, "planned_on": far})
    assert b"warning-box" not in response.content


def test_plan_page_has_htmx_date_trigger(client, official, household_a):
    client.force_login(official)
    response = client.get(reverse("visits:visit_plan"), {"household": household_a.pk})
    content = response.content.decode()
    assert 'hx-get="' + reverse("visits:visit_overlap") in content
    assert 'id="overlap"' in content


def test_record_met_redirects_to_assessment(client, official, household_a, today):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=today)
    client.force_login(official)
    response = client.post(
        reverse("visits:visit_record", args=[visit.pk]),
        {"outcome": "met", "notes": "", "observed_needs": ["income", "health"]},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("cases:assessment_create", args=[household_a.pk]))
    visit.refresh_from_db()
    assert visit.status == "done" and visit.observed_needs == ["income", "health"]


def test_record_form_errors_in_place(client, official, household_a, today):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=today)
    client.force_login(official)
    response = client.post(reverse("visits:visit_record", args=[visit.pk]), {"outcome": ""})
    assert response.status_code == 200 and "outcome" in response.context["form"].errors
    response = client.post(reverse("visits:visit_record", args=[visit.pk]), {"outcome": "not_home"})
    assert response.status_code == 302
    response = client.post(reverse("visits:visit_record", args=[visit.pk]), {"outcome": "met"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_record_out_of_scope_is_404(client, official, official_b, household_a, today):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=today)
    client.force_login(official_b)
    assert client.get(reverse("visits:visit_record", args=[visit.pk])).status_code == 404


def test_today_partial_renders(official, nurse, household_a, today):
    from django.template.loader import render_to_string

    from maeul.visits.selectors import visits_today

    visit_plan(actor=official, household=household_a, planned_on=today, members=[official, nurse])
    html = render_to_string("visits/_today.html", {"visits_today": visits_today(user=official)})
    assert nurse.label in html and str(household_a) in html
