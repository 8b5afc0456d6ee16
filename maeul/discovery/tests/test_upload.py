"""High-risk list upload: every bad row reported, a bad file saves nothing, a good file is
written in bulk with the same rows the per-lead service writes."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from maeul.discovery.models import Lead, LeadUpload
from maeul.discovery.services import lead_upload_import
from maeul.discovery.upload import UploadInvalid
from maeul.people.models import Household, Resident, TimelineEvent
from maeul.people.services import household_register
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HEADER = "동코드,성명,생년월일,주민등록번호,주소,위기신호,긴급도\n"


def csv_file(text: str, name="list.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def import_(user, text, name="list.csv", encoding="utf-8"):
    return lead_upload_import(actor=user, file=csv_file(text, name, encoding), filename=name)


def errors_of(user, text, **kwargs):
    with pytest.raises(UploadInvalid) as invalid:
        import_(user, text, **kwargs)
    assert not Lead.objects.exists() and not Household.objects.exists()
    assert not LeadUpload.objects.exists()
    return [(e.row, e.message) for e in invalid.value.errors]


def test_good_csv_imports_leads_households_and_events(official, dong_a):
    upload = import_(
        official,
        HEADER
        + f"{dong_a.code},김철수,1955-04-03,550403-1234567,망미번영로 1,utility_arrears;job_loss,high\n"
        + f"{dong_a.code},박영희,19600102,,망미번영로 2,,\n",
    )
    assert (upload.row_count, upload.matched_count, upload.new_count) == (2, 0, 2)
    lead = Lead.objects.get(subject_name="김철수")
    assert lead.source == "high_risk_list" and lead.urgency == "high"
    assert lead.crisis_signals == ["utility_arrears", "job_loss"]
    assert lead.due_at - lead.created_at == dt.timedelta(days=3)
    resident = Resident.objects.get(name="김철수")
    assert resident.rrn == "550403-1234567" and resident.name_key == "김철수"
    household = resident.household
    assert household.address_key == "망미번영로1" and household.dong == dong_a
    assert household.lat == dong_a.lat and household.created_at and household.groups == []
    assert list(resident.household.events.values_list("kind", flat=True)) == [
        TimelineEvent.Kind.HOUSEHOLD_REGISTERED,
        TimelineEvent.Kind.LEAD_REGISTERED,
    ]


def test_rows_are_matched_to_known_households(official, dong_a):
    by_rrn = household_register(
        actor=official, dong=dong_a, address="망미로 7", head_name="갑", head_rrn="500101-1000000"
    )
    by_name = household_register(
        actor=official,
        dong=dong_a,
        address="부산광역시 수영구 망미로 8",
        head_name="을순",
        head_birth_date=dt.date(1944, 4, 4),
    )
    upload = import_(
        official,
        HEADER
        + f"{dong_a.code},다른이름,1950-01-01,5001011000000,다른 주소,,\n"
        + f"{dong_a.code},을 순,1944.04.04,,망미로8,,\n"
        + f"{dong_a.code},병,1944.04.04,,망미로 9,,\n",
    )
    assert (upload.row_count, upload.matched_count, upload.new_count) == (3, 2, 1)
    assert Lead.objects.get(subject_name="다른이름").household == by_rrn
    assert Lead.objects.get(subject_name="을 순").household == by_name
    assert Household.objects.count() == 3
    assert by_name.events.filter(kind=TimelineEvent.Kind.LEAD_MATCHED).count() == 1


def test_wrong_columns_are_reported(official):
    errors = errors_of(official, "동코드,이름,생일,주소\nx,y,z,w\n")
    messages = " ".join(m for _row, m in errors)
    assert "생일" in messages and "birth_date" in messages
    assert all(row == 1 for row, _m in errors)


def test_english_headers_and_dong_names_are_accepted(official, dong_a):
    upload = import_(
        official, "Dong,Name,Birth Date,Address\n" + f"{dong_a.name},Kim,1950-01-01,Mangmi-ro 1\n"
    )
    assert upload.row_count == 1


def test_bad_dates_are_reported_with_row_numbers(official, dong_a):
    errors = errors_of(
        official,
        HEADER
        + f"{dong_a.code},갑,1950-13-01,,주소 1,,\n"
        + f"{dong_a.code},을,01/02/1950,,주소 2,,\n"
        + f"{dong_a.code},병,,,주소 3,,\n"
        + f"{dong_a.code},정,1950-01-01,,주소 4,,\n",
    )
    assert [row for row, _m in errors] == [2, 3, 4]
    assert "01/02/1950" in errors[1][1]


def test_duplicate_rows_in_the_file_are_reported(official, dong_a):
    errors = errors_of(
        official,
        HEADER
        + f"{dong_a.code},갑,1950-01-01,,망미로 1,,\n"
        + f"{dong_a.code},갑,1950-01-01,,망미로1,,\n"
        + f"{dong_a.code},을,1951-01-01,510101-2000000,망미로 2,,\n"
        + f"{dong_a.code},병,1952-01-01,5101012000000,망미로 3,,\n",
    )
    assert [row for row, _m in errors] == [3, 5]
    assert "2" in errors[0][1] and "4" in errors[1][1]


def test_empty_file_is_refused(official):
    assert errors_of(official, "")[0][0] is None
    assert "no rows" in errors_of(official, HEADER)[0][1]


def test_unknown_dong_is_reported(official):
    errors = errors_of(official, HEADER + "1234567890,갑,1950-01-01,,망미로 1,,\n")
    assert errors == [(2, "Unknown dong “1234567890”.")] or errors[0][0] == 2


def test_dong_official_may_not_upload_rows_of_another_dong(official, gu_user, dong_a, dong_b):
    text = (
        HEADER
        + f"{dong_a.code},갑,1950-01-01,,망미로 1,,\n"
        + f"{dong_b.code},을,1950-01-01,,수영로 1,,\n"
    )
    errors = errors_of(official, text)
    assert [row for row, _m in errors] == [3]
    assert import_(gu_user, text).row_count == 2


def test_unknown_crisis_signal_and_urgency_are_reported(official, dong_a):
    errors = errors_of(official, HEADER + f"{dong_a.code},갑,1950-01-01,,망미로 1,bad_luck,soon\n")
    assert len(errors) == 2 and "bad_luck" in errors[0][1] and "soon" in errors[1][1]


def test_not_a_csv_or_xlsx_is_refused(official):
    errors = errors_of(official, "hello", name="list.pdf")
    assert errors[0][0] is None and "CSV" in errors[0][1]
    errors = errors_of(official, "PK\x03\x04garbage", name="list.xlsx")
    assert "XLSX" in errors[0][1]


@override_settings(MAEUL_UPLOAD_MAX_ROWS=3)
def test_too_many_rows_is_refused(official, dong_a):
    rows = "".join(f"{dong_a.code},사람{i},1950-01-01,,망미로 {i},,\n" for i in range(4))
    errors = errors_of(official, HEADER + rows)
    assert "3" in errors[-1][1]


@override_settings(MAEUL_UPLOAD_MAX_BYTES=100)
def test_too_large_file_is_refused(official, dong_a):
    errors = errors_of(official, HEADER + f"{dong_a.code},갑,1950-01-01,,망미로 1,,\n" * 5)
    assert "MB" in errors[0][1]


def test_cp949_csv_from_korean_excel(official, dong_a):
    upload = import_(
        official,
        HEADER + f"{dong_a.code},김철수,1955-04-03,,망미번영로 1,rent_arrears,긴급\n",
        encoding="cp949",
    )
    assert upload.row_count == 1
    lead = Lead.objects.get()
    assert lead.subject_name == "김철수" and lead.urgency == "emergency"


def test_utf8_with_bom(official, dong_a):
    upload = import_(official, "\ufeff" + HEADER + f"{dong_a.code},갑,1950-01-01,,망미로 1,,\n")
    assert upload.row_count == 1


def test_xlsx_file(official, dong_a):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["동코드", "성명", "생년월일", "주민등록번호", "주소", "위기신호"])
    sheet.append(
        [int(dong_a.code), "김철수", dt.date(1955, 4, 3), "550403-1234567", "망미로 1", "job_loss"]
    )
    sheet.append([dong_a.code, "박영희", 19600102, None, "망미로 2", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("list.xlsx", buffer.getvalue())
    upload = lead_upload_import(actor=official, file=file, filename="list.xlsx")
    assert upload.row_count == 2
    assert Resident.objects.get(name="박영희").birth_date == dt.date(1960, 1, 2)


def test_ten_thousand_rows_import_completely(gu_user, dong_a, dong_b):
    dongs = [dong_a.code, dong_b.code]
    known = household_register(
        actor=gu_user, dong=dong_a, address="망미로 0", head_name="기존", head_rrn="400101-1000000"
    )
    lines = [HEADER.strip()]
    for i in range(10_000):
        rrn = "400101-1000000" if i == 0 else f"{500101 + (i % 28):06d}-{2000000 + i:07d}"
        lines.append(
            f"{dongs[i % 2]},사람{i},1950-01-{1 + i % 28:02d},{rrn},수영로 {i},utility_arrears,"
        )
    upload = import_(gu_user, "\n".join(lines) + "\n")
    assert (upload.row_count, upload.matched_count, upload.new_count) == (10_000, 1, 9_999)
    assert Lead.objects.count() == 10_000 and Household.objects.count() == 10_000
    assert Resident.objects.exclude(rrn_index="").count() == 10_000
    events = TimelineEvent.objects.values_list("kind", flat=True)
    assert list(events.filter(kind="lead_registered")) == ["lead_registered"] * 10_000
    assert events.filter(kind="household_registered").count() == 10_000
    assert events.filter(kind="lead_matched").get() and known.leads.count() == 1


def test_upload_page_shows_row_errors_then_counts(client, official, dong_a):
    client.login(username=official.username, password=PASSWORD)
    bad = HEADER + f"{dong_a.code},갑,1950-99-01,,망미로 1,,\n"
    response = client.post("/leads/upload/", {"file": csv_file(bad)})
    html = response.content.decode()
    assert response.status_code == 400 and 'class="card upload-errors"' in html
    assert '<td class="num">2</td>' in html and not Lead.objects.exists()
    good = HEADER + f"{dong_a.code},갑,1950-09-01,,망미로 1,,\n"
    response = client.post("/leads/upload/", {"file": csv_file(good)})
    html = response.content.decode()
    assert response.status_code == 200 and '<b id="upload-rows">1</b>' in html
    assert '<b id="upload-new">1</b>' in html
