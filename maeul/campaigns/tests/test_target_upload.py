"""A campaign's target list uploaded as a file: the documented layout, every bad row listed,
all or nothing, only households of the campaign's area in the uploader's scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from maeul.campaigns.models import Target
from maeul.campaigns.services import campaign_create, targets_add
from maeul.campaigns.target_upload import targets_upload
from maeul.discovery.upload.read import UploadInvalid
from maeul.errors import NotFound
from maeul.people.models import Resident
from maeul.people.registry import resident_add
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(official, dong_a):
    return campaign_create(
        actor=official,
        name="홀몸 어르신 안부",
        purpose="안부 확인",
        area=dong_a,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
    )


@pytest.fixture
def homes(official, dong_a, dong_b):
    by_number = HouseholdFactory(dong=dong_a)
    by_rrn = HouseholdFactory(dong=dong_a)
    resident_add(
        actor=official, household=by_rrn, name="김수급", relation="spouse", rrn="450505-2123456"
    )
    by_name = HouseholdFactory(dong=dong_a)
    Resident.objects.filter(household=by_name).update(
        name="박순이", name_key="박순이", birth_date=dt.date(1945, 5, 5)
    )
    return {
        "number": by_number,
        "rrn": by_rrn,
        "name": by_name,
        "other": HouseholdFactory(dong=dong_b),
    }


def csv(text: str, header: str = "가구번호,주민등록번호,성명,생년월일\n", encoding="utf-8"):
    return io.BytesIO((header + text).encode(encoding))


def test_rows_match_by_number_rrn_or_name_and_birth(official, campaign, homes):
    data = f"{homes['number'].pk},,,\n,4505052123456,,\n,,박순이,1945.05.05\n"
    result = targets_upload(actor=official, campaign=campaign, file=csv(data), filename="t.csv")
    assert (result.rows, result.added, result.already) == (3, 3, 0)
    listed = set(Target.objects.filter(campaign=campaign).values_list("household_id", flat=True))
    assert listed == {homes["number"].pk, homes["rrn"].pk, homes["name"].pk}
    # uploading again adds nothing twice
    again = targets_upload(actor=official, campaign=campaign, file=csv(data), filename="t.csv")
    assert (again.added, again.already) == (0, 3)


def test_cp949_and_xlsx_with_english_headers(official, campaign, homes):
    data = ",,박순이,19450505\n"
    result = targets_upload(
        actor=official, campaign=campaign, file=csv(data, encoding="cp949"), filename="t.csv"
    )
    assert result.added == 1
    book = Workbook()
    sheet = book.active
    sheet.append(["Household ID", "RRN"])
    sheet.append([homes["number"].pk, None])
    sheet.append([None, "450505-2123456"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = targets_upload(actor=official, campaign=campaign, file=out, filename="t.xlsx")
    assert result.added == 2


def test_bad_rows_refuse_the_whole_file_and_each_is_listed(official, campaign, homes):
    data = (
        f"{homes['number'].pk},,,\n"  # 2: fine
        "abc,,,\n"  # 3: not a number
        ",9001,,\n"  # 4: not a registration number
        ",,박순이,\n"  # 5: a name without its birth date
        f"{homes['other'].pk},,,\n"  # 6: another dong's household
        ",990101-1000000,,\n"  # 7: no one has it
        f",,,\n"  # blank: skipped
        f"{homes['number'].pk},,,\n"  # 9: the same household as row 2
    )
    with pytest.raises(UploadInvalid) as err:
        targets_upload(actor=official, campaign=campaign, file=csv(data), filename="t.csv")
    messages = {e.row: e.message for e in err.value.errors}
    assert list(messages) == [3, 4, 5, 6, 7, 9]  # every bad row, in order; row 2 was fine
    assert "row 2" in messages[9] and "campaign's area" in messages[6]
    assert not Target.objects.exists()
    data = f"{homes['number'].pk},,,\n{homes['other'].pk},,,\n,990101-1000000,,\n{homes['number'].pk},,,\n"
    with pytest.raises(UploadInvalid) as err:
        targets_upload(actor=official, campaign=campaign, file=csv(data), filename="t.csv")
    messages = {e.row: e.message for e in err.value.errors}
    assert set(messages) == {3, 4, 5} and "row 2" in messages[5]
    assert not Target.objects.exists()


def test_ambiguous_name_and_missing_columns(official, campaign, homes, dong_a):
    twin = HouseholdFactory(dong=dong_a)
    Resident.objects.filter(household=twin).update(
        name="박순이", name_key="박순이", birth_date=dt.date(1945, 5, 5)
    )
    with pytest.raises(UploadInvalid) as err:
        targets_upload(
            actor=official, campaign=campaign, file=csv(",,박순이,1945-05-05\n"), filename="t.csv"
        )
    assert "2 households match" in err.value.errors[0].message
    with pytest.raises(UploadInvalid) as err:
        targets_upload(
            actor=official, campaign=campaign, file=csv("x\n", header="비고\n"), filename="t.csv"
        )
    assert err.value.errors[0].row == 1
    with pytest.raises(UploadInvalid):
        targets_upload(actor=official, campaign=campaign, file=csv(""), filename="t.csv")


def test_another_dongs_official_cannot_upload(official_b, campaign, homes):
    with pytest.raises(NotFound):
        targets_upload(
            actor=official_b,
            campaign=campaign,
            file=csv(f"{homes['number'].pk},,,\n"),
            filename="t.csv",
        )
    assert not Target.objects.exists()


def test_upload_page_shows_layout_result_and_errors(client, official, campaign, homes):
    targets_add(actor=official, campaign=campaign, household_ids=[homes["rrn"].pk])
    client.force_login(official)
    url = reverse("campaigns:targets_upload", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "가구번호" in page and "birth_date" in page
    upload = csv(f"{homes['number'].pk},,,\n,450505-2123456,,\n")
    upload.name = "list.csv"
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="result"' in html
    assert Target.objects.filter(campaign=campaign).count() == 2
    bad = csv("abc,,,\n")
    bad.name = "list.csv"
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and 'id="errors"' in response.content.decode()
