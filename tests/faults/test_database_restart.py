"""PostgreSQL restarted in the middle of a write. To the app a restart is its connection ended
by the server ("terminating connection due to administrator command"); here that is done at
the worst moment — inside the upload's transaction, after the households are written and
before the leads are, and inside a benefit sweep — by a second connection, as `pg_ctl restart`
would. Between two requests the test calls what Django's handler calls at each request's
start and end (`close_old_connections`: a connection that failed is closed, and with
CONN_HEALTH_CHECKS a dead one is replaced before it is used); Django's test client
disconnects it, to keep a test's transaction."""

from __future__ import annotations

from unittest import mock

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.db.utils import InterfaceError, OperationalError
from django.test import Client

from maeul.benefits.models import SweepRun
from maeul.benefits.services import sweep_run_execute, sweep_run_open
from maeul.discovery.models import Lead, LeadUpload
from maeul.discovery.upload import write as upload_write
from maeul.people.models import Household, TimelineEvent
from tests.factories import PASSWORD, HouseholdFactory
from tests.faults.pg import database_url, needs_postgresql

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]
HEADER = "동코드,성명,생년월일,주민등록번호,주소,위기신호,긴급도\n"


def restart_now() -> None:
    """End the app's server session from outside, as a restart of PostgreSQL does."""
    pid = connection.connection.info.backend_pid
    with psycopg.connect(database_url(connection.settings_dict["NAME"]), autocommit=True) as c:
        c.execute("SELECT pg_terminate_backend(%s)", [pid])


def request_boundary() -> None:
    close_old_connections()


def test_restart_in_the_middle_of_an_upload(official, dong_a):
    client = Client(raise_request_exception=False)
    client.login(username=official.username, password=PASSWORD)
    rows = "".join(f"{dong_a.code},주민{n},1950-01-0{n},,망미번영로 {n},,\n" for n in range(1, 6))
    upload = SimpleUploadedFile("list.csv", (HEADER + rows).encode(), content_type="text/csv")
    original = upload_write.leads_bulk_register

    def restart_then_register(*args, **kwargs):
        restart_now()
        return original(*args, **kwargs)

    with mock.patch.object(upload_write, "leads_bulk_register", restart_then_register):
        failed = client.post("/leads/upload/", {"file": upload})
    # the request fails as a whole: a server error, not a page that claims success
    assert failed.status_code == 500
    request_boundary()
    # nothing half-written: the households registered before the restart are gone with it
    assert not Household.objects.exists()
    assert not Lead.objects.exists() and not LeadUpload.objects.exists()
    assert not TimelineEvent.objects.exists()
    # the next request works without restarting the app, and the same file goes in once
    assert client.get("/leads/").status_code == 200
    request_boundary()
    upload.seek(0)
    again = client.post("/leads/upload/", {"file": upload})
    assert again.status_code == 200
    assert Lead.objects.count() == 5 and LeadUpload.objects.count() == 1


def test_restart_in_the_middle_of_a_sweep(gu, dong_a):
    for _ in range(3):
        HouseholdFactory(dong=dong_a)
    run = sweep_run_open(actor=None, period="2026-11", dong_ids=[dong_a.pk], create_leads=True)
    from maeul.benefits import services

    original = services.registry_sweep

    def restart_then_sweep(*args, **kwargs):
        restart_now()
        return original(*args, **kwargs)

    with mock.patch.object(services, "registry_sweep", restart_then_sweep):
        with pytest.raises((OperationalError, InterfaceError)):
            sweep_run_execute(run_id=run.pk)
    request_boundary()
    # nothing half-written: no leads, no results; the app's next query works
    assert not Lead.objects.exists()
    run.refresh_from_db()
    assert run.results == {}
    # The run is marked failed with the reason, on a new connection (the dead one closed), so
    # that it does not stay RUNNING and refuse the gu's next sweep for SWEEP_STALE_AFTER.
    assert run.status == SweepRun.Status.FAILED
    assert run.finished_at is not None and run.error
    # ... and the same sweep can be asked for again at once, and runs to the end.
    again = sweep_run_open(actor=None, period="2026-11", dong_ids=[dong_a.pk], create_leads=True)
    assert sweep_run_execute(run_id=again.pk) is not None
    again.refresh_from_db()
    assert again.status == SweepRun.Status.DONE
