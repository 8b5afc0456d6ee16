"""The benefit recipients import: matched by the encrypted identity, all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from maeul.campaigns.recipients import recipients_import
from maeul.discovery.upload.read import UploadInvalid
from maeul.errors import DomainError
from maeul.people.models import BenefitReceipt, TimelineEvent
from maeul.people.registry import resident_add
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

HEADER = "주민등록번호,급여,시작일,종료일,월급여액\n"


@pytest.fixture
def members(official, dong_a, dong_b):
    a = HouseholdFactory(dong=dong_a)
    b = HouseholdFactory(dong=dong_b)
    return {
        "mine": resident_add(
            actor=official, household=a, name="김수급", relation="spouse", rrn="450505-2123456"
        ),
        "other_dong": b.members.get(),
    }


def csv(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO((HEADER + text).encode(encoding))


def test_matched_rows_start_benefits_unmatched_reported(official, members):
    result = recipients_import(
        actor=official,
        file=csv(
            "450505-2123456,basic_pension,2026-01-01,,334810\n"
            "4505052123456,기초연금,2020-01-01,2025-12-31,300000\n"
            "990101-1000000,basic_pension,2026-01-01,,\n"
        ),
        filename="recipients.csv",
    )
    assert (result.imported, result.already, result.unmatched) == (2, 0, [4])
    receipts = BenefitReceipt.objects.filter(resident=members["mine"]).order_by("started_on")
    assert [(r.programme, r.ended_on, r.monthly_amount) for r in receipts] == [
        ("basic_pension", dt.date(2025, 12, 31), 300000),
        ("basic_pension", None, 334810),
    ]
    assert TimelineEvent.objects.filter(kind="benefit_started").count() == 2
    assert TimelineEvent.objects.filter(kind="benefit_ended").count() == 1


def test_reimport_writes_nothing_twice(official, members):
    data = "450505-2123456,basic_pension,2026-01-01,,\n"
    recipients_import(actor=official, file=csv(data), filename="r.csv")
    result = recipients_import(actor=official, file=csv(data), filename="r.csv")
    assert (result.imported, result.already) == (0, 1)
    assert BenefitReceipt.objects.count() == 1


def test_bad_rows_refuse_the_whole_file(official, members):
    with pytest.raises(UploadInvalid) as err:
        recipients_import(
            actor=official,
            file=csv(
                "450505-2123456,basic_pension,2026-01-01,,\n"
                "12345,basic_pension,2026-01-01,,\n"
                "450505-2123456,unicorn,2026-01-01,,\n"
                "450505-2123456,near_poor,someday,,\n"
                "450505-2123456,near_poor,2026-02-01,2026-01-01,\n"
                "450505-2123456,basic_pension,2026-01-01,,\n"
            ),
            filename="r.csv",
        )
    rows = {e.row for e in err.value.errors}
    assert rows == {3, 4, 5, 6, 7}  # bad number, programme, date, end before start, duplicate
    assert "row 2" in [e.message for e in err.value.errors if e.row == 7][0]
    assert not BenefitReceipt.objects.exists()


def test_missing_columns_and_wrong_format(official, members):
    with pytest.raises(UploadInvalid):
        recipients_import(actor=official, file=io.BytesIO("이름,급여\n".encode()), filename="r.csv")
    with pytest.raises(UploadInvalid):
        recipients_import(actor=official, file=io.BytesIO(b"x"), filename="r.pdf")


def test_cp949_csv(official, members):
    result = recipients_import(
        actor=official,
        file=csv("450505-2123456,차상위계층,2026-03-01,,\n", encoding="cp949"),
        filename="r.csv",
    )
    assert result.imported == 1
    assert BenefitReceipt.objects.get().programme == "near_poor"


def test_xlsx(official, members):
    book = Workbook()
    sheet = book.active
    sheet.append(["rrn", "programme", "start", "end", "amount"])
    sheet.append(["450505-2123456", "basic_pension", dt.date(2026, 1, 1), None, 334810])
    data = io.BytesIO()
    book.save(data)
    result = recipients_import(actor=official, file=data.getvalue(), filename="r.xlsx")
    assert result.imported == 1
    assert BenefitReceipt.objects.get().monthly_amount == 334810


def test_only_residents_in_scope_match(official, official_b, members):
    data = "450505-2123456,basic_pension,2026-01-01,,\n"
    result = recipients_import(actor=official_b, file=csv(data), filename="r.csv")
    assert (result.imported, result.unmatched) == (0, [2])
    assert not BenefitReceipt.objects.exists()


def test_volunteer_may_not_import(volunteer, members):
    with pytest.raises(DomainError):
        recipients_import(
            actor=volunteer,
            file=csv("450505-2123456,basic_pension,2026-01-01,,\n"),
            filename="r.csv",
        )


def test_import_page_reports_result_and_bad_rows(client, official, members):
    client.force_login(official)
    ok = io.BytesIO((HEADER + "450505-2123456,basic_pension,2026-01-01,,\n").encode())
    ok.name = "r.csv"
    body = client.post("/campaigns/recipients/", {"file": ok}).content.decode()
    assert 'id="result"' in body and BenefitReceipt.objects.count() == 1
    bad = io.BytesIO((HEADER + "nope,basic_pension,2026-01-01,,\n").encode())
    bad.name = "r.csv"
    body = client.post("/campaigns/recipients/", {"file": bad}).content.decode()
    assert 'id="errors"' in body and "row 2" in body
