"""The sign-in backend reads the user, their home area and whether their dong has a standing
sphere link in one query; the scope computed from it is the same as before, link by link,
and follows a link made or ended while the user is signed in."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import BACKEND_SESSION_KEY
from django.utils import timezone

from maeul.accounts.backends import SPHERE_FLAG, UserBackend
from maeul.accounts.scope import dong_ids_of
from maeul.areas.models import SphereLink


def test_one_query_reads_user_home_area_and_sphere_flag(
    official, dong_a, dong_b, django_assert_num_queries
):
    backend = UserBackend()
    with django_assert_num_queries(1):
        user = backend.get_user(official.pk)
        assert user.home_area == dong_a
        assert getattr(user, SPHERE_FLAG) is False
    # no standing link: the scope needs no further query
    with django_assert_num_queries(0):
        assert dong_ids_of(user) == [dong_a.pk]


def test_standing_link_flag_and_scope(official, dong_a, dong_b, gu):
    today = timezone.localdate()
    backend = UserBackend()
    link = SphereLink.objects.create(
        central_dong=dong_a, linked_dong=dong_b, starts_on=today + dt.timedelta(days=1)
    )
    user = backend.get_user(official.pk)
    assert getattr(user, SPHERE_FLAG) is False  # not yet started
    assert dong_ids_of(user) == [dong_a.pk]

    link.starts_on = today
    link.save()
    user = backend.get_user(official.pk)
    assert getattr(user, SPHERE_FLAG) is True
    assert dong_ids_of(user) == [dong_a.pk, dong_b.pk]

    link.ends_on = today  # ended today: today is the first day without it
    link.save()
    user = backend.get_user(official.pk)
    assert getattr(user, SPHERE_FLAG) is False
    assert dong_ids_of(user) == [dong_a.pk]


def test_user_loaded_elsewhere_still_asks_the_database(official, dong_a, dong_b):
    """A user not loaded by UserBackend (an API token, a script) carries no flag: the scope
    reads the links as it always did."""
    SphereLink.objects.create(
        central_dong=dong_a, linked_dong=dong_b, starts_on=timezone.localdate()
    )
    official.refresh_from_db()
    assert not hasattr(official, SPHERE_FLAG)
    assert dong_ids_of(official) == [dong_a.pk, dong_b.pk]


def test_link_made_and_ended_while_signed_in_applies_at_the_next_request(
    client, password, official, dong_a, dong_b, household_b
):
    client.login(username=official.username, password=password)
    page = f"/households/{household_b.pk}/"
    assert client.get(page).status_code == 404
    link = SphereLink.objects.create(
        central_dong=dong_a, linked_dong=dong_b, starts_on=timezone.localdate()
    )
    assert client.get(page).status_code == 200
    link.ends_on = timezone.localdate()
    link.save()
    assert client.get(page).status_code == 404


def test_session_signed_in_with_django_model_backend_stays_valid(
    client, password, official, household_a
):
    """Sessions from before UserBackend name Django's ModelBackend: they keep working."""
    client.login(username=official.username, password=password)
    assert client.session[BACKEND_SESSION_KEY] == "maeul.accounts.backends.UserBackend"
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get(f"/households/{household_a.pk}/").status_code == 200


def test_inactive_user_is_not_loaded(official):
    official.is_active = False
    official.save()
    assert UserBackend().get_user(official.pk) is None
    assert UserBackend().get_user(987654) is None
