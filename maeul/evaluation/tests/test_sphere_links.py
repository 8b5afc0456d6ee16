"""Sphere links: while a link stands the central dong's team works the linked dong's
households (pages, services, every scoped list); ended, the access is gone; the linked dong's
team gains nothing; other gus are untouched; recording and ending are audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord, Role
from maeul.areas.models import Hub, SphereLink
from maeul.areas.selectors import sphere_linked_dong_ids
from maeul.errors import DomainError, NotFound
from maeul.evaluation.services import sphere_link_remove, sphere_links_add
from maeul.people.selectors import dong_ids_of, households_visible_to
from maeul.visits.services import visit_plan
from tests.factories import AreaFactory, HouseholdFactory, HubFactory, UserFactory

pytestmark = pytest.mark.django_db


def _link(client, gu_user, password, central, *linked, starts_on=None):
    client.login(username=gu_user.username, password=password)
    response = client.post(
        "/evaluation/planning/sphere-links/",
        {
            "central": central.pk,
            "linked": [d.pk for d in linked],
            "starts_on": (starts_on or timezone.localdate()).isoformat(),
        },
    )
    client.logout()
    return response


def test_central_dong_works_the_linked_dongs_households_while_the_link_stands(
    client, password, gu_user, official, official_b, dong_a, dong_b, household_b, household_a
):
    page = f"/households/{household_b.pk}/"
    client.login(username=official.username, password=password)
    assert client.get(page).status_code == 404
    client.logout()

    assert _link(client, gu_user, password, dong_a, dong_b).status_code == 302
    link = SphereLink.objects.get()
    assert (link.central_dong, link.linked_dong, link.created_by) == (dong_a, dong_b, gu_user)
    assert Hub.objects.get(dong=dong_b).hub_type == Hub.HubType.SPHERE
    assert Hub.objects.get(dong=dong_b).central_hub == Hub.objects.get(dong=dong_a)
    recorded = AuditRecord.objects.get(action="sphere_link_add")
    assert recorded.user == gu_user and f"#{link.pk}" in recorded.purpose

    # The central dong's official sees and works the linked dong's household …
    client.login(username=official.username, password=password)
    response = client.get(page)
    assert response.status_code == 200
    assert AuditRecord.objects.filter(user=official, household_id=household_b.pk).exists()
    official.refresh_from_db()
    visit, _warnings = visit_plan(
        actor=official, household=household_b, planned_on=timezone.localdate()
    )
    assert visit.household == household_b
    # … and the linked dong's official gains nothing of the central dong.
    client.logout()
    client.login(username=official_b.username, password=password)
    assert client.get(f"/households/{household_a.pk}/").status_code == 404
    assert set(households_visible_to(official_b)) == {household_b}
    client.logout()

    # Ended: access gone at once.
    client.login(username=gu_user.username, password=password)
    assert client.post(f"/evaluation/planning/sphere-links/{link.pk}/end/").status_code == 302
    client.logout()
    link.refresh_from_db()
    assert link.ends_on == timezone.localdate() and link.ended_by == gu_user
    assert Hub.objects.get(dong=dong_b).hub_type == Hub.HubType.BASIC
    assert AuditRecord.objects.filter(action="sphere_link_end", user=gu_user).exists()
    client.login(username=official.username, password=password)
    assert client.get(page).status_code == 404
    fresh = type(official).objects.get(pk=official.pk)
    with pytest.raises(NotFound):
        visit_plan(actor=fresh, household=household_b, planned_on=timezone.localdate())


def test_only_standing_links_count_in_one_query(
    dong_a, dong_b, gu, gu_user, django_assert_num_queries
):
    today = timezone.localdate()
    dong_c = AreaFactory(code="2650076000", parent=gu)
    SphereLink.objects.create(central_dong=dong_a, linked_dong=dong_b, starts_on=today)
    SphereLink.objects.create(
        central_dong=dong_a,
        linked_dong=dong_c,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today,
    )
    future = AreaFactory(code="2650077000", parent=gu)
    SphereLink.objects.create(
        central_dong=dong_a, linked_dong=future, starts_on=today + dt.timedelta(days=3)
    )
    with django_assert_num_queries(1):
        assert sphere_linked_dong_ids(dong_a.pk) == [dong_b.pk]
    assert sphere_linked_dong_ids(dong_b.pk) == []
    assert sorted(sphere_linked_dong_ids(dong_a.pk, on=today + dt.timedelta(days=3))) == sorted(
        [dong_b.pk, future.pk]
    )


def test_other_gus_are_unaffected(password, gu_user, official, dong_a, dong_b):
    sido2 = AreaFactory(code="2600000001", level="sido")
    gu2 = AreaFactory(code="2635000000", level="sigungu", parent=sido2)
    dong_x = AreaFactory(code="2635051000", parent=gu2)
    dong_y = AreaFactory(code="2635052000", parent=gu2)
    HubFactory(dong=dong_x)
    other = UserFactory(username="haeundae_x", role=Role.WELFARE_OFFICIAL, home_area=dong_x)
    sphere_links_add(
        actor=gu_user, central_id=dong_a.pk, linked_ids=[dong_b.pk], starts_on=timezone.localdate()
    )
    assert dong_ids_of(other) == [dong_x.pk]
    HouseholdFactory(dong=dong_y)
    assert not households_visible_to(other).exists()
    # A gu cannot link another gu's dongs, nor end another gu's link.
    with pytest.raises(DomainError):
        sphere_links_add(
            actor=gu_user,
            central_id=dong_a.pk,
            linked_ids=[dong_x.pk],
            starts_on=timezone.localdate(),
        )
    other_gu_team = UserFactory(username="haeundae_gu", role=Role.GU_TEAM, home_area=gu2)
    link = SphereLink.objects.get()
    with pytest.raises(NotFound):
        sphere_link_remove(actor=other_gu_team, link_id=link.pk)
    assert SphereLink.objects.get().ends_on is None


def test_refusals_write_nothing(client, password, gu_user, official, gu, dong_a, dong_b):
    today = timezone.localdate()
    dong_c = AreaFactory(code="2650076000", parent=gu)
    # dong staff cannot record one
    with pytest.raises(NotFound):
        sphere_links_add(
            actor=official, central_id=dong_a.pk, linked_ids=[dong_b.pk], starts_on=today
        )
    client.login(username=official.username, password=password)
    assert (
        client.post(
            "/evaluation/planning/sphere-links/", {"central": dong_a.pk, "linked": [dong_b.pk]}
        ).status_code
        == 404
    )
    client.logout()
    # backwards, to itself, a second central for one dong, a chain: refused, nothing kept
    with pytest.raises(DomainError) as exc:
        sphere_links_add(
            actor=gu_user,
            central_id=dong_a.pk,
            linked_ids=[dong_b.pk],
            starts_on=today - dt.timedelta(days=1),
        )
    assert exc.value.code == "starts_on_past"
    with pytest.raises(DomainError) as exc:
        sphere_links_add(
            actor=gu_user, central_id=dong_a.pk, linked_ids=[dong_a.pk], starts_on=today
        )
    assert exc.value.code == "self_link"
    sphere_links_add(actor=gu_user, central_id=dong_a.pk, linked_ids=[dong_b.pk], starts_on=today)
    with pytest.raises(DomainError) as exc:
        sphere_links_add(
            actor=gu_user, central_id=dong_c.pk, linked_ids=[dong_b.pk], starts_on=today
        )
    assert exc.value.code == "already_linked"
    with pytest.raises(DomainError) as exc:
        sphere_links_add(
            actor=gu_user, central_id=dong_b.pk, linked_ids=[dong_c.pk], starts_on=today
        )
    assert exc.value.code == "central_is_linked"
    with pytest.raises(DomainError) as exc:  # all or nothing: dong_c would be fine, dong_a not
        sphere_links_add(
            actor=gu_user, central_id=dong_c.pk, linked_ids=[dong_c.pk, dong_a.pk], starts_on=today
        )
    assert SphereLink.objects.count() == 1
    # the page shows the refusal on the form
    response = _link(client, gu_user, password, dong_c, dong_b)
    assert response.status_code == 400
    assert "already linked" in response.content.decode()
    assert not AuditRecord.objects.filter(action="sphere_link_add").exists()


def test_planning_page_lists_links_and_form_only_for_the_gu(
    client, password, gu_user, official, dong_a, dong_b
):
    sphere_links_add(
        actor=gu_user, central_id=dong_a.pk, linked_ids=[dong_b.pk], starts_on=timezone.localdate()
    )
    client.login(username=gu_user.username, password=password)
    html = client.get("/evaluation/planning/").content.decode()
    assert "sphere-links/" in html and "End the link" in html
    client.logout()
    client.login(username=official.username, password=password)
    html = client.get("/evaluation/planning/").content.decode()
    assert dong_b.display_name in html and "End the link" not in html
