"""Hostile uploads: decompression bombs, files that lie about their type, fuzzed CSV."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maeul.discovery.models import Lead
from maeul.discovery.services import lead_upload_import
from maeul.discovery.upload import UploadInvalid
from maeul.people.models import Household

pytestmark = pytest.mark.django_db


def bomb() -> bytes:
    """A zip with an XLSX's file names whose sheet inflates to 300 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"0" * (1024 * 1024)
            for _ in range(300):
                sheet.write(chunk)
    return buffer.getvalue()


def test_xlsx_bomb_is_refused_before_decompression(official):
    data = bomb()
    assert len(data) < 1024 * 1024  # small on the wire
    with pytest.raises(UploadInvalid) as error:
        lead_upload_import(actor=official, file=data, filename="list.xlsx")
    assert "expands" in str(error.value.errors[0].message)
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    "payload", [b"just text, not a zip", b"PK\x03\x04broken", b"MZ\x90\x00 an exe renamed"]
)
def test_file_that_is_not_an_xlsx_is_refused_clearly(official, payload):
    with pytest.raises(UploadInvalid) as error:
        lead_upload_import(actor=official, file=payload, filename="list.xlsx")
    assert "XLSX" in str(error.value.errors[0].message)


def test_upload_page_shows_the_refusal_for_a_bomb(client, official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(official)
    response = client.post("/leads/upload/", {"file": SimpleUploadedFile("list.xlsx", bomb())})
    assert response.status_code in (200, 400)
    assert "expands" in response.content.decode()
    assert not Household.objects.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=400))
def test_any_csv_either_imports_or_is_refused_with_row_reasons(official, dong_a, body):
    """Whatever the bytes, the importer answers with counts or with reasons, never a crash,
    and a refused file leaves nothing behind."""
    before = Household.objects.count(), Lead.objects.count()
    data = ("이름,생년월일,주소,동\n" + body).encode("utf-8")
    try:
        lead_upload_import(actor=official, file=data, filename="list.csv")
    except UploadInvalid as error:
        assert error.errors and all(str(e.message) for e in error.errors)
        assert (Household.objects.count(), Lead.objects.count()) == before
