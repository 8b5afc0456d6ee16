"""Indicators are counted from events (and benefit/staff date intervals), per dong and for the
gu, for any period; dong staff see their dong's row; bad periods are clear errors."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from maeul.accounts.models import Role
from maeul.errors import DomainError, NotFound
from maeul.indicators.selectors import (
    INDICATORS,
    indicator_compare,
    indicator_table,
    indicator_values,
)
from maeul.people.models import Resident, TimelineEvent
from maeul.people.services import benefit_end, benefit_start
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

KST = ZoneInfo("Asia/Seoul")
A = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
B = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def event(kind, dong, day, *, household=None, amount=None, hour=10):
    return TimelineEvent.objects.create(
        kind=kind,
        dong=dong,
        household=household,
        amount=amount,
        occurred_at=dt.datetime(day.year, day.month, day.day, hour, tzinfo=KST),
    )


@pytest.fixture
def story(gu, dong_a, dong_b, household_a, household_b):
    """Events of two dongs in two periods."""
    K = TimelineEvent.Kind
    for day in (dt.date(2025, 2, 3), dt.date(2025, 6, 30)):
        event(K.VISIT_COMPLETED, dong_a, day, household=household_a)
    event(K.VISIT_COMPLETED, dong_a, dt.date(2025, 7, 1), household=household_a, hour=0)
    for _ in range(3):
        event(K.VISIT_COMPLETED, dong_a, dt.date(2026, 3, 2), household=household_a)
    event(K.VISIT_COMPLETED, dong_b, dt.date(2026, 3, 2), household=household_b)
    event(K.BLIND_SPOT_DISCOVERED, dong_a, dt.date(2026, 2, 1), household=household_a)
    event(K.LINKAGE_PROVIDED, dong_b, dt.date(2025, 5, 5), household=household_b)
    event(K.LINKAGE_PROPOSED, dong_b, dt.date(2025, 5, 5), household=household_b)
    event(K.RESOURCE_DISCOVERED, dong_a, dt.date(2025, 3, 1), amount=500_000)
    event(K.RESOURCE_DISCOVERED, dong_a, dt.date(2026, 3, 1), amount=300_000)
    event(K.RESOURCE_DISCOVERED, dong_b, dt.date(2026, 4, 1), amount=200_000)
    return gu


def test_event_indicators_count_each_dong_and_period(story, dong_a, dong_b):
    a = indicator_values(gu=story, start=A[0], end=A[1])
    b = indicator_values(gu=story, start=B[0], end=B[1])
    # 30 June counts in A (inclusive end); 1 July 00:00 KST does not.
    assert a[dong_a.pk]["site_visits"] == 2
    assert b[dong_a.pk]["site_visits"] == 3
    assert b[dong_b.pk]["site_visits"] == 1
    assert b[None]["site_visits"] == 4
    assert (a[dong_a.pk]["blind_spots"], b[dong_a.pk]["blind_spots"]) == (0, 1)
    assert a[dong_b.pk]["linkages"] == 1  # provided only, not proposed
    assert a[dong_a.pk]["resources"] == 1
    assert a[dong_a.pk]["resource_amount"] == 500_000
    assert b[None]["resources"] == 2
    assert b[None]["resource_amount"] == 500_000


def test_case_households_open_at_any_time_in_the_period(gu, dong_a, dong_b):
    K = TimelineEvent.Kind
    carried = HouseholdFactory(dong=dong_a)  # opened before A, closed during A
    event(K.CASE_OPENED, dong_a, dt.date(2024, 10, 1), household=carried)
    event(K.CASE_CLOSED, dong_a, dt.date(2025, 2, 1), household=carried)
    finished = HouseholdFactory(dong=dong_a)  # opened and closed before A
    event(K.CASE_OPENED, dong_a, dt.date(2024, 6, 1), household=finished)
    event(K.CASE_CLOSED, dong_a, dt.date(2024, 12, 1), household=finished)
    reopened = HouseholdFactory(dong=dong_b)  # closed before A, re-opened in A
    event(K.CASE_OPENED, dong_b, dt.date(2024, 6, 1), household=reopened)
    event(K.CASE_CLOSED, dong_b, dt.date(2024, 8, 1), household=reopened)
    event(K.CASE_REOPENED, dong_b, dt.date(2025, 6, 1), household=reopened)
    later = HouseholdFactory(dong=dong_b)  # opened after A
    event(K.CASE_OPENED, dong_b, dt.date(2025, 8, 1), household=later)

    a = indicator_values(gu=gu, start=A[0], end=A[1])
    assert a[dong_a.pk]["case_households"] == 1
    assert a[dong_b.pk]["case_households"] == 1
    assert a[None]["case_households"] == 2
    b = indicator_values(gu=gu, start=B[0], end=B[1])  # reopened and later still open
    assert (b[dong_a.pk]["case_households"], b[dong_b.pk]["case_households"]) == (0, 2)


def test_targets_are_people_receiving_a_target_programme_at_the_end(gu, dong_a, dong_b):
    household = HouseholdFactory(dong=dong_a)
    head = household.members.get()
    child = Resident.objects.create(household=household, name="김하늘", name_key="김하늘")
    # benefits are written by people's services, which keep the target tally with them
    benefit_start(
        actor=None,
        household=household,
        resident=head,
        programme="basic_pension",
        started_on=dt.date(2020, 1, 1),
    )
    # household-level livelihood benefit: every member is a target, head counted once
    benefit_start(
        actor=None, household=household, programme="nbls_livelihood", started_on=dt.date(2025, 3, 1)
    )
    other = HouseholdFactory(dong=dong_b)
    single = benefit_start(
        actor=None,
        household=other,
        resident=other.members.get(),
        programme="single_parent",
        started_on=dt.date(2020, 1, 1),
    )
    benefit_end(actor=None, receipt=single, ended_on=dt.date(2025, 12, 31))
    benefit_start(  # not a target programme
        actor=None, household=other, programme="emergency_welfare", started_on=dt.date(2026, 1, 1)
    )
    a = indicator_values(gu=gu, start=A[0], end=A[1])
    b = indicator_values(gu=gu, start=B[0], end=B[1])
    assert a[dong_a.pk]["targets"] == 2 and child.pk
    assert a[dong_b.pk]["targets"] == 1
    assert b[dong_b.pk]["targets"] == 0
    assert b[None]["targets"] == 2


def test_visiting_personnel_by_hiring_dates_and_private_employment(gu, dong_a, dong_b):
    UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a, hired_on=dt.date(2019, 1, 1))
    UserFactory(
        role=Role.VISITING_NURSE,
        home_area=dong_a,
        hired_on=dt.date(2025, 7, 1),
        privately_employed=True,
    )
    UserFactory(  # left before B started
        role=Role.CASE_MANAGER,
        home_area=dong_b,
        hired_on=dt.date(2023, 1, 1),
        left_on=dt.date(2025, 12, 31),
        privately_employed=True,
    )
    UserFactory(role=Role.GU_TEAM, home_area=gu, hired_on=dt.date(2020, 1, 1))
    UserFactory(role=Role.VOLUNTEER, home_area=dong_a, hired_on=dt.date(2020, 1, 1))
    UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a)  # no hiring date: not counted
    a = indicator_values(gu=gu, start=A[0], end=A[1])
    b = indicator_values(gu=gu, start=B[0], end=B[1])
    assert (a[dong_a.pk]["personnel"], a[dong_a.pk]["personnel_private"]) == (1, 0)
    assert (b[dong_a.pk]["personnel"], b[dong_a.pk]["personnel_private"]) == (2, 1)
    assert (a[dong_b.pk]["personnel"], b[dong_b.pk]["personnel"]) == (1, 0)
    assert (a[None]["personnel"], a[None]["personnel_private"]) == (3, 1)
    assert (b[None]["personnel"], b[None]["personnel_private"]) == (3, 1)


def test_indicators_use_a_fixed_number_of_queries(story, django_assert_max_num_queries):
    # dongs, targets, personnel, cases per dong and for the gu, event counts (all from tallies)
    with django_assert_max_num_queries(6):
        indicator_values(gu=story, start=A[0], end=A[1])


def test_dong_official_sees_own_dong_and_gu_total(story, official, dong_a):
    rows = indicator_table(user=official, start=B[0], end=B[1])
    assert [(r.area.code, r.is_total) for r in rows] == [(dong_a.code, False), ("2650000000", True)]


def test_gu_team_sees_every_dong_and_total(story, gu_user, dong_a, dong_b):
    rows = indicator_table(user=gu_user, start=B[0], end=B[1])
    assert [r.area.code for r in rows] == [dong_b.code, dong_a.code, "2650000000"]


@pytest.mark.parametrize("who", ["volunteer", "partner_user"])
def test_volunteers_and_partners_read_no_indicators(request, story, who):
    with pytest.raises(NotFound):
        indicator_table(user=request.getfixturevalue(who), start=A[0], end=A[1])


def test_compare_gives_both_periods_and_the_change(story, gu_user, dong_a):
    rows = indicator_compare(user=gu_user, a=A, b=B)
    row = next(r for r in rows if r["area"] == dong_a)
    assert row["values"]["site_visits"] == {"a": 2, "b": 3, "change": 1, "pct": 50.0}
    assert row["values"]["blind_spots"] == {"a": 0, "b": 1, "change": 1, "pct": None}
    assert rows[-1]["is_total"]


def test_start_after_end_is_a_clear_error(story, gu_user):
    with pytest.raises(DomainError) as error:
        indicator_compare(user=gu_user, a=(dt.date(2025, 7, 1), dt.date(2025, 1, 1)), b=B)
    assert error.value.code == "invalid_period"


# --- pages ------------------------------------------------------------------------------------


def test_dashboard_shows_both_periods(client, story, gu_user, django_assert_max_num_queries):
    client.force_login(gu_user)
    with django_assert_max_num_queries(25):
        response = client.get(
            "/indicators/",
            {
                "a_start": "2025-01-01",
                "a_end": "2025-06-30",
                "b_start": "2026-01-01",
                "b_end": "2026-06-30",
                "chart": "site_visits",
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'class="num up"' in html
    assert len(response.context["rows"]) == 3


def test_dashboard_defaults_to_before_after_the_reform(client, story, official):
    client.force_login(official)
    response = client.get("/indicators/")
    assert response.status_code == 200
    data = response.context["form"].cleaned_data
    assert (data["a_start"], data["b_end"]) == (A[0], B[1])
    assert [r["area"].code for r in response.context["rows"]] == ["2650000000", "2650074000"]


def test_dashboard_bad_period_is_a_form_error_not_a_500(client, story, official):
    client.force_login(official)
    response = client.get(
        "/indicators/",
        {"a_start": "2025-07-01", "a_end": "2025-01-01", "b_start": "2026-01-01", "b_end": "x"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "a_end" in form.errors and "b_end" in form.errors
    assert not response.context["rows"]


@pytest.mark.parametrize("who", ["volunteer", "partner_user"])
@pytest.mark.parametrize("url", ["/indicators/", "/indicators/export.csv"])
def test_pages_are_404_for_volunteers_and_partners(request, client, story, who, url):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 404


def test_pages_need_sign_in(client, story):
    assert client.get("/indicators/").status_code == 302


def test_csv_export_has_bom_headers_and_a_row_per_area_and_indicator(client, story, official):
    client.force_login(official)
    response = client.get(
        "/indicators/export.csv",
        {
            "a_start": "2025-01-01",
            "a_end": "2025-06-30",
            "b_start": "2026-01-01",
            "b_end": "2026-06-30",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[:3] == ["Area code", "Area", "Indicator"]
    assert "2025-01-01–2025-06-30" in lines[0]
    assert len(lines) == 1 + 2 * len(INDICATORS)  # own dong + gu total
    visits = next(line for line in lines if line.startswith("2650074000") and "Site visits" in line)
    assert visits.split(",")[3:] == ["2", "3", "1", "50.0"]


def test_csv_export_bad_period_is_400(client, story, official):
    client.force_login(official)
    response = client.get(
        "/indicators/export.csv",
        {
            "a_start": "2025-07-01",
            "a_end": "2025-01-01",
            "b_start": "2026-01-01",
            "b_end": "2026-06-30",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "start date" in response.content.decode()
