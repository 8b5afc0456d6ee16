"""The registry sweep as a background task: the page queues it in the database, the worker
(`manage.py db_worker --batch`, run here in the test process) sweeps it, the page polls its
progress and shows its result or why it failed; a failed sweep runs again without writing
anything twice; two sweeps of one gu never run at once.

These tests use the database backend of production (the suite's default is the immediate
backend, see settings.TASKS) and commit for real (``transaction=True``), as the worker does."""

from __future__ import annotations

import datetime as dt
import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maeul.benefits import services
from maeul.benefits.models import SweepRun
from maeul.benefits.tasks import registry_sweep_task
from maeul.benefits.tests.helpers import means_for
from maeul.discovery.models import Lead
from maeul.people.models import BenefitReceipt, TimelineEvent

pytestmark = pytest.mark.django_db(transaction=True)
PERIOD = "2026-11"
PAGE = "/benefits/sweep/"
STATUS = "/benefits/sweep/status/"


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def planted(household_a, household_b):
    """household_a: aged, no income, receives nothing → blind spot (dong A). household_b:
    livelihood benefit with ₩3,000,000 a month → unqualified receipt (dong B)."""
    means_for(household_a)
    means_for(household_b, other_income=3_000_000)
    BenefitReceipt.objects.create(
        household=household_b, programme="nbls_livelihood", started_on=dt.date(2020, 1, 1)
    )
    return household_a, household_b


def run_worker() -> str:
    """One pass of the production worker: every task waiting, then exit. The worker installs
    its own signal handlers; pytest's are put back."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    out = StringIO()
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            "test-worker",
            stdout=out,
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return out.getvalue()


def lead_events() -> int:
    return TimelineEvent.objects.filter(
        kind__in=[TimelineEvent.Kind.LEAD_REGISTERED, TimelineEvent.Kind.LEAD_MATCHED]
    ).count()


def test_gu_team_queues_the_sweep_the_worker_runs_it_and_the_page_shows_the_result(
    client, planted, gu_user
):
    household_a, household_b = planted
    client.force_login(gu_user)
    response = client.post(PAGE, {"period": PERIOD, "create_leads": "1"})
    assert response.status_code == 302

    run = SweepRun.objects.get()
    assert run.status == SweepRun.Status.QUEUED and run.actor == gu_user and run.create_leads
    task = DBTaskResult.objects.get(id=run.task_id)
    assert task.status == "READY" and task.task_path == "maeul.benefits.tasks.registry_sweep_task"
    assert not Lead.objects.exists()

    html = client.get(PAGE).content.decode()
    assert "Waiting for the worker" in html
    assert f'hx-get="{STATUS}?run={run.pk}"' in html and 'hx-trigger="every 2s"' in html
    assert "disabled" in html  # no second sweep while this one waits
    polled = client.get(STATUS, {"run": run.pk})
    assert polled.status_code == 200 and "HX-Redirect" not in polled

    run_worker()

    run.refresh_from_db()
    assert run.status == SweepRun.Status.DONE and run.error == ""
    assert (run.done, run.total, run.households) == (2, 2, 2)
    assert (run.blind_spots, run.unqualified, run.leads_created) == (1, 1, 1)
    assert run.started_at and run.finished_at and run.started_at <= run.finished_at
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value["leads_created"] == 1
    assert Lead.objects.get().household == household_a and lead_events() == 2

    polled = client.get(STATUS, {"run": run.pk})
    assert polled["HX-Redirect"] == f"{PAGE}?finished={run.pk}"  # the page loads the lists
    html = client.get(polled["HX-Redirect"]).content.decode()
    assert "Sweep done" in html and "2 households screened: 1 entitled, not receiving" in html
    assert "hx-trigger" not in html and "disabled" not in html
    assert f"/households/{household_a.pk}/" in html and f"/households/{household_b.pk}/" in html
    assert "1 lead created" in html
    assert "Sweep done" not in client.get(PAGE).content.decode()  # only right after the run


def test_the_page_polls_the_progress_the_worker_records(client, planted, gu_user, monkeypatch):
    """The fragment read while the worker sweeps (after the registry is read, after each dong)
    shows what the worker has recorded so far."""
    monkeypatch.setattr(services, "SWEEP_PROGRESS_EVERY", 0)
    client.force_login(gu_user)
    seen = []
    sweep = services.registry_sweep

    def watched(**kwargs):
        report = kwargs["progress"]

        def progress(done, total):
            report(done, total)
            seen.append(client.get(STATUS).content.decode())

        return sweep(**{**kwargs, "progress": progress})

    monkeypatch.setattr(services, "registry_sweep", watched)
    client.post(PAGE, {"period": PERIOD})
    run_worker()

    assert len(seen) == 3  # registry read, dong A, dong B
    assert "Swept 0 of 2 households" in seen[0] and "Swept 1 of 2 households" in seen[1]
    assert all('hx-trigger="every 2s"' in html for html in seen)
    assert SweepRun.objects.get().status == SweepRun.Status.DONE


def test_a_failed_sweep_says_why_and_runs_again_writing_each_lead_once(
    client, planted, gu_user, monkeypatch
):
    household_a, _ = planted
    client.force_login(gu_user)
    write_leads = services._sweep_leads

    def leads_then_crash(**kwargs):
        write_leads(**kwargs)  # the leads and their events are written…
        raise RuntimeError("connection to the registry lost")  # …then the sweep breaks

    monkeypatch.setattr(services, "_sweep_leads", leads_then_crash)
    client.post(PAGE, {"period": PERIOD, "create_leads": "1"})
    run_worker()

    failed = SweepRun.objects.get()
    assert failed.status == SweepRun.Status.FAILED
    assert failed.error == "RuntimeError: connection to the registry lost"
    assert DBTaskResult.objects.get(id=failed.task_id).status == "FAILED"
    assert not Lead.objects.exists() and lead_events() == 0  # nothing half written
    assert failed.results == {} and failed.leads_created == 0
    html = client.get(PAGE).content.decode()
    assert "Sweep failed" in html and "connection to the registry lost" in html
    assert "disabled" not in html and "hx-trigger" not in html

    monkeypatch.setattr(services, "_sweep_leads", write_leads)
    assert client.post(PAGE, {"period": PERIOD, "create_leads": "1"}).status_code == 302
    run_worker()
    rerun = SweepRun.objects.exclude(pk=failed.pk).get()
    assert rerun.status == SweepRun.Status.DONE and rerun.leads_created == 1
    assert Lead.objects.get().household == household_a and lead_events() == 2

    # the same task delivered again, and another sweep: nothing is written twice
    assert registry_sweep_task.call(run_id=rerun.pk) is None
    client.post(PAGE, {"period": PERIOD, "create_leads": "1"})
    run_worker()
    assert SweepRun.objects.filter(status=SweepRun.Status.DONE).count() == 2
    assert SweepRun.objects.first().leads_created == 0
    assert Lead.objects.count() == 1 and lead_events() == 2
    failed.refresh_from_db()
    assert failed.status == SweepRun.Status.FAILED  # its history stays


def test_two_sweeps_of_one_gu_never_run_at_once(client, planted, gu_user, official):
    client.force_login(gu_user)
    assert client.post(PAGE, {"period": PERIOD}).status_code == 302
    again = client.post(PAGE, {"period": PERIOD})
    assert again.status_code == 400 and "already waiting or running" in again.content.decode()
    client.force_login(official)  # dong A is in the same gu
    assert client.post(PAGE, {"period": PERIOD}).status_code == 400
    with pytest.raises(CommandError, match="already waiting or running"):
        call_command("benefits_sweep", "--period", PERIOD, stdout=StringIO())
    assert SweepRun.objects.count() == 1

    # dong staff see that the gu's sweep is going on, not its figures
    assert "Waiting for the worker" in client.get(PAGE).content.decode()
    SweepRun.objects.update(status=SweepRun.Status.RUNNING, done=1, total=2)
    html = client.get(PAGE).content.decode()
    assert "A sweep of the gu is running" in html and "of 2 households" not in html
    client.force_login(gu_user)
    assert "Swept 1 of 2 households" in client.get(PAGE).content.decode()
    SweepRun.objects.update(status=SweepRun.Status.QUEUED, done=0, total=0)

    run_worker()
    assert client.post(PAGE, {"period": PERIOD}).status_code == 302
    run_worker()
    assert SweepRun.objects.filter(status=SweepRun.Status.DONE).count() == 2


@pytest.mark.parametrize("how", ["worker_could_not_run_it", "worker_stopped"])
def test_an_abandoned_sweep_shows_why_and_does_not_block_the_next(client, planted, gu_user, how):
    client.force_login(gu_user)
    client.post(PAGE, {"period": PERIOD})
    run = SweepRun.objects.get()
    if how == "worker_could_not_run_it":
        DBTaskResult.objects.filter(id=run.task_id).update(
            status="FAILED",
            exception_class_path="builtins.ImportError",
            traceback="Traceback (most recent call last):\nImportError: no module named x\n",
        )
        why = "The worker could not run the sweep: ImportError: no module named x"
    else:
        DBTaskResult.objects.filter(id=run.task_id).update(status="RUNNING")
        SweepRun.objects.filter(pk=run.pk).update(
            status=SweepRun.Status.RUNNING, updated_at=timezone.now() - dt.timedelta(minutes=11)
        )
        why = "no progress for 10 minutes"

    html = client.get(PAGE).content.decode()
    assert "Sweep failed" in html and why in html and "disabled" not in html
    assert client.get(STATUS, {"run": run.pk})["HX-Redirect"] == f"{PAGE}?finished={run.pk}"

    assert client.post(PAGE, {"period": PERIOD}).status_code == 302
    run.refresh_from_db()
    assert run.status == SweepRun.Status.FAILED and why in run.error
    run_worker()
    assert SweepRun.objects.first().status == SweepRun.Status.DONE


def test_the_command_sweeps_at_once_and_records_its_run(planted):
    out = StringIO()
    call_command("benefits_sweep", "--period", PERIOD, "--create-leads", stdout=out)
    assert "leads created: 1" in out.getvalue() and "total" in out.getvalue()
    run = SweepRun.objects.get()
    assert run.status == SweepRun.Status.DONE and run.actor is None and run.task_id == ""
    assert not DBTaskResult.objects.exists()
