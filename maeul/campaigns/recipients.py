"""Import of the benefit recipients the national system (Haengbok-e-eum) exports, so that
"people subject to welfare" counts real use. It lives here, above discovery, to read files
with discovery's upload reader (CSV in UTF-8 or CP949, XLSX, with its size limits); it writes
benefits only through `people.services.benefit_start`.

The layout (first row: headers, Korean or English, in any order):

| column        | headers accepted                     | content                                  |
|---------------|--------------------------------------|------------------------------------------|
| rrn           | 주민등록번호, rrn                      | 900101-1234567 (dash optional)           |
| programme     | 급여, 급여종류, programme, program      | a programme code (basic_pension …) or its Korean name |
| start         | 시작일, 개시일, start, started_on       | 2026-01-01, 2026.01.01 or 20260101       |
| end           | 종료일, 중지일, end, ended_on            | optional, same formats                   |
| monthly_amount| 월급여액, 금액, amount, monthly_amount   | optional, whole won                      |

A recipient is matched to a resident by the registration number's blind index, among the
households the importer may see. A bad row (unreadable number, unknown programme, bad date,
end before start, a row given twice) refuses the whole file with every problem listed:
nothing is half-imported. Rows whose number matches no resident are reported and skipped;
rows already on record (same member, programme and start) are skipped, so a re-import
writes nothing twice."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.discovery.upload.check import parse_date
from maeul.discovery.upload.read import RowError, UploadInvalid, read_table, read_upload_bytes
from maeul.people.identity import blind_index, normalise_rrn
from maeul.people.models import BenefitReceipt, Programme, Resident
from maeul.people.selectors import households_visible_to
from maeul.people.services import benefit_end, benefit_start

COLUMNS = {
    "rrn": ("주민등록번호", "rrn"),
    "programme": ("급여", "급여종류", "programme", "program"),
    "start": ("시작일", "개시일", "start", "started_on"),
    "end": ("종료일", "중지일", "end", "ended_on"),
    "monthly_amount": ("월급여액", "금액", "amount", "monthly_amount"),
}
REQUIRED = ("rrn", "programme", "start")
_JUNK = re.compile(r"[\s_\-.()\[\]]+")


def _key(text: str) -> str:
    return _JUNK.sub("", text).casefold()


ALIASES = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def _programme(text: str) -> str | None:
    value = text.strip()
    if value in Programme.values:
        return value
    by_label = {}
    for language in ("ko", "en"):
        with translation.override(language):
            by_label.update({_key(str(label)): code for code, label in Programme.choices})
    return by_label.get(_key(value))


@dataclass
class ImportResult:
    imported: int = 0
    already: int = 0
    unmatched: list[int] = field(default_factory=list)  # row numbers


@dataclass(frozen=True)
class _Row:
    row: int
    rrn: str
    programme: str
    start: dt.date
    end: dt.date | None
    amount: int | None


def _parse(data: bytes, filename: str) -> list[_Row]:
    table = read_table(data=data, filename=filename)
    header = next(table, None)
    if header is None:
        raise UploadInvalid([RowError(None, _("The file is empty."))])
    columns = {ALIASES.get(_key(h)): i for i, h in enumerate(header) if ALIASES.get(_key(h))}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise UploadInvalid(
            [RowError(1, _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})]
        )
    errors: list[RowError] = []
    rows: list[_Row] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for number, cells in enumerate(table, start=2):
        if not any(cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = columns.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        problems = []
        raw_rrn = cell("rrn")
        # Excel drops the leading zero of a number born 2000-2009 typed without its dash.
        rrn = normalise_rrn(
            raw_rrn.zfill(13) if raw_rrn.isdigit() and len(raw_rrn) == 12 else raw_rrn
        )
        if rrn is not None and not (1 <= int(rrn[2:4]) <= 12 and 1 <= int(rrn[4:6]) <= 31):
            rrn = None
        if rrn is None:
            problems.append(_("the registration number must look like 900101-1234567"))
        programme = _programme(cell("programme"))
        if programme is None:
            problems.append(_("unknown programme %(value)s") % {"value": cell("programme")})
        start = parse_date(cell("start"))
        if start is None:
            problems.append(_("the start date is missing or not a date"))
        end = parse_date(cell("end")) if cell("end") else None
        if cell("end") and end is None:
            problems.append(_("the end date is not a date"))
        if start and end and end < start:
            problems.append(_("it ends before it starts"))
        amount = None
        if cell("monthly_amount"):
            text = cell("monthly_amount").replace(",", "")
            if not text.isdigit():
                problems.append(_("the amount must be whole won"))
            else:
                amount = int(text)
        if problems:
            errors.append(RowError(number, "; ".join(problems)))
            continue
        assert rrn is not None and programme is not None and start is not None
        key = (rrn, programme, start)
        if key in seen:
            errors.append(RowError(number, _("the same as row %(row)s") % {"row": seen[key]}))
            continue
        seen[key] = number
        rows.append(_Row(number, rrn, programme, start, end, amount))
    if errors:
        raise UploadInvalid(errors)
    return rows


@transaction.atomic
def recipients_import(*, actor: User, file, filename: str) -> ImportResult:
    """Import a recipients file (see the module's layout). All or nothing."""
    require_hub_staff(actor)
    rows = _parse(read_upload_bytes(file, filename), filename)
    indexes = {blind_index(r.rrn) for r in rows}
    residents = {
        m.rrn_index: m
        for m in Resident.objects.filter(
            rrn_index__in=indexes, household__in=households_visible_to(actor)
        ).select_related("household")
    }
    on_record = set(
        BenefitReceipt.objects.filter(resident__in=list(residents.values())).values_list(
            "resident_id", "programme", "started_on"
        )
    )
    result = ImportResult()
    for row in rows:
        resident = residents.get(blind_index(row.rrn))
        if resident is None:
            result.unmatched.append(row.row)
            continue
        if (resident.pk, row.programme, row.start) in on_record:
            result.already += 1
            continue
        receipt = benefit_start(
            actor=actor,
            household=resident.household,
            resident=resident,
            programme=row.programme,
            started_on=row.start,
            monthly_amount=row.amount,
        )
        if row.end is not None:
            benefit_end(actor=actor, receipt=receipt, ended_on=row.end)
        result.imported += 1
    return result
