"""Reports: built as a background task (progress, failure), the same numbers as the pages in
both the workbook and the PDF, downloads only for whoever may read the run."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.cache import cache

from maeul.cases.models import Case
from maeul.errors import DomainError
from maeul.evaluation.models import ReportRun
from maeul.evaluation.selectors import hub_effects, indicator_series
from maeul.evaluation.services import caseload_standard_set, report_run_open, report_start
from maeul.evaluation.staffing import staffing
from maeul.evaluation.tests.conftest import TODAY
from maeul.indicators.selectors import INDICATORS, indicator_table
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    cache.clear()


def test_report_has_the_pages_numbers_in_excel_and_pdf(history, gu_user):
    run = report_start(actor=gu_user, start=PERIOD[0], end=PERIOD[1], language="en")
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    assert run.done == run.total > 2  # every month counted, then the workbook and the PDF

    book = openpyxl.load_workbook(io.BytesIO(bytes(run.xlsx)))
    table = book.worksheets[0]
    rows = {r[0]: r for r in table.iter_rows(min_row=4, values_only=True)}
    for row in indicator_table(user=gu_user, start=PERIOD[0], end=PERIOD[1]):
        cells = rows[row.area.code]
        assert list(cells[2:]) == [row.values[key] for key, _label in INDICATORS]

    effects = book.worksheets[1]
    written = {r[0]: r for r in effects.iter_rows(min_row=5, values_only=True) if r[0]}
    for effect in hub_effects(indicator_series(user=gu_user, today=TODAY)):
        cells = written[effect.label]
        if effect.result is None:
            assert cells[8] == effect.error
            continue
        o = effect.result.overall
        assert cells[1:6] == pytest.approx((o.estimate, o.ci_low, o.ci_high, o.se, o.weight))
    assert written["Site visits"][1] == pytest.approx(10)

    pdf = bytes(run.pdf)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):  # poppler-utils (.ci/run installs it)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Suyeong-gu" in text
        assert "10.00" in text  # the site visits effect, as on the page


def test_dong_staff_report_holds_their_dong_and_the_gu(history, official):
    run = report_start(actor=official, start=PERIOD[0], end=PERIOD[1], language="en")
    run.refresh_from_db()
    codes = [row["code"] for row in run.summary["table"]]
    assert codes == [history[0].code, history[0].parent.code]


def test_bad_period_and_second_click_are_refused(history, gu_user):
    with pytest.raises(DomainError) as err:
        report_run_open(actor=gu_user, start=PERIOD[1], end=PERIOD[0])
    assert err.value.code == "invalid_period"
    report_run_open(actor=gu_user, start=PERIOD[0], end=PERIOD[1])  # queued, not started
    with pytest.raises(DomainError) as err:
        report_run_open(actor=gu_user, start=PERIOD[0], end=PERIOD[1])
    assert err.value.code == "report_running"
    assert ReportRun.objects.count() == 1


def test_an_abandoned_run_no_longer_blocks(history, gu_user):
    stale = report_run_open(actor=gu_user, start=PERIOD[0], end=PERIOD[1])
    ReportRun.objects.filter(pk=stale.pk).update(
        status=ReportRun.Status.RUNNING, updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    report_run_open(actor=gu_user, start=PERIOD[0], end=PERIOD[1])
    stale.refresh_from_db()
    assert stale.status == ReportRun.Status.FAILED and "abandoned" in stale.error


def test_a_failure_is_recorded_and_nothing_half_kept(history, gu_user, monkeypatch):
    def broken(summary):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr("maeul.evaluation.services.build_pdf", broken)
    run = report_start(actor=gu_user, start=PERIOD[0], end=PERIOD[1])
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert "fonts missing" in run.error
    assert run.xlsx is None and run.pdf is None


def test_pages_start_poll_and_download(client, history, gu_user, official_b, password):
    client.login(username=gu_user.username, password=password)
    response = client.post("/evaluation/reports/", {"start": "2026-01-01", "end": "2026-06-30"})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    page = client.get("/evaluation/reports/").content.decode()
    assert f"/evaluation/reports/{run.pk}/report.xlsx" in page
    polled = client.get(f"/evaluation/reports/status/?run={run.pk}")
    assert polled["HX-Redirect"] == "/evaluation/reports/"
    response = client.get(f"/evaluation/reports/{run.pk}/report.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    response = client.get(f"/evaluation/reports/{run.pk}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    bad = client.post("/evaluation/reports/", {"start": "2026-06-30", "end": "2026-01-01"})
    assert "must not be after the end date" in bad.content.decode()
    # another dong's staff do not get the gu team's report
    client.login(username=official_b.username, password=password)
    assert client.get(f"/evaluation/reports/{run.pk}/report.pdf").status_code == 404


def test_report_carries_the_staffing_page_at_the_gus_standard(history, gu_user, official):
    dong_a = history[0]
    for _ in range(7):
        Case.objects.create(
            household=HouseholdFactory(dong=dong_a),
            dong=dong_a,
            manager=official,
            opened_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
    caseload_standard_set(actor=gu_user, open_cases=3, follow_ups=30, visits=100, note="")
    run = report_start(actor=gu_user, start=PERIOD[0], end=PERIOD[1], language="en")
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    assert run.summary["staffing"]["standard"]["open_cases"] == 3
    book = openpyxl.load_workbook(io.BytesIO(bytes(run.xlsx)))
    sheet = book.worksheets[2]
    assert "3 open cases" in sheet.cell(2, 1).value and gu_user.label in sheet.cell(2, 1).value
    written = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    _standard, _source, rows = staffing(user=gu_user, today=TODAY)
    for row in rows:
        cells = written[row.dong.code]
        assert list(cells[2:]) == [
            row.workers,
            row.open_cases,
            row.follow_ups_due,
            row.visits,
            row.needed,
            row.gap,
        ]
    assert written[dong_a.code][6] == 3  # ⌈7/3⌉ for the cases; the 20 visits need one
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=bytes(run.pdf), capture_output=True, check=True
        ).stdout.decode()
        assert "Staffing by caseload" in text and "3 open cases" in text
