"""Reading a high-risk list: the bytes of a CSV (UTF-8 or CP949) or XLSX file into rows of
text, with the limits that keep a hostile file (too large, a zip bomb) out. Problems are
`RowError`s gathered into one `UploadInvalid`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maeul.errors import DomainError


@dataclass(frozen=True)
class RowError:
    """One problem: `row` is the spreadsheet row number (header = 1), None for the file."""

    row: int | None
    message: str


class UploadInvalid(DomainError):
    """The file was refused; `errors` lists every problem found. Nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            "upload_invalid", gettext_lazy("The file has errors. Nothing was saved."), field="file"
        )
        self.errors = errors


def read_upload_bytes(file, filename: str) -> bytes:
    limit = settings.MAEUL_UPLOAD_MAX_BYTES
    too_big = RowError(
        None,
        _("The file is larger than %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:g}"},
    )
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UploadInvalid([too_big])
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise UploadInvalid([too_big])
    return data


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
        raise UploadInvalid([RowError(None, _("The file is not a text CSV file."))])
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadInvalid(
            [RowError(None, _("The CSV file must be encoded in UTF-8 or CP949 (EUC-KR)."))]
        )
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [cell.strip() for cell in row]


#: An XLSX is a zip: refuse archives that would inflate far beyond any real high-risk list
#: (a "zip bomb") before openpyxl decompresses anything.
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_MAX_ENTRIES = 2_000


def _check_xlsx_archive(data: bytes) -> None:
    import zipfile

    not_xlsx = UploadInvalid([RowError(None, _("The file is not a readable XLSX workbook."))])
    if data[:4] != b"PK\x03\x04":
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise not_xlsx from exc
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > XLSX_MAX_ENTRIES
        or total > XLSX_MAX_UNCOMPRESSED
        or (total > 10 * 1024 * 1024 and total / packed > XLSX_MAX_RATIO)
    ):
        raise UploadInvalid(
            [
                RowError(
                    None,
                    _(
                        "The XLSX file expands to far more data than a list can hold; it was refused."
                    ),
                )
            ]
        )
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise not_xlsx


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    _check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise UploadInvalid(
            [RowError(None, _("The file is not a readable XLSX workbook."))]
        ) from exc
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    finally:
        workbook.close()


def read_table(*, data: bytes, filename: str) -> Iterator[list[str]]:
    """Rows of cells as text, header first."""
    suffix = PurePath(filename or "").suffix.casefold()
    if suffix == ".csv":
        return _csv_rows(data)
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    raise UploadInvalid(
        [RowError(None, _("Upload a CSV or XLSX file (Excel: Save as .xlsx or CSV)."))]
    )
