"""Import of a high-risk list (the Ministry's crisis-signal list, or a hub's own survey list) as
CSV or XLSX. Columns and formats: docs/high-risk-list.md.

The whole file is read and checked before anything is written; a file with any bad row saves
nothing and every bad row is reported with its row number (the spreadsheet's: the header is
row 1). A good file is written with bulk inserts and the same rows `lead_register` would
write: households (with their address key), head residents (name key, encrypted registration
number and blind index), leads, and the HOUSEHOLD_REGISTERED / LEAD_MATCHED / LEAD_REGISTERED
timeline events.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.discovery.bulk import bulk_insert
from maeul.discovery.matching import HouseholdIndex, MatchKeys
from maeul.discovery.models import CrisisSignal, Lead, LeadUpload
from maeul.errors import DomainError, PermissionDenied
from maeul.people.identity import normalise_rrn
from maeul.people.models import Household, Resident, TimelineEvent
from maeul.people.selectors import dong_ids_of
from maeul.people.services import resident_fill
from maeul.text import normalise_name

#: Accepted headers (compared without case, spaces, '_', '-', '.', brackets) → field.
COLUMNS: dict[str, tuple[str, ...]] = {
    "dong_code": ("동코드", "행정동코드", "행정기관코드", "dong_code"),
    "dong_name": ("동", "동명", "행정동", "행정동명", "읍면동", "dong", "dong_name"),
    "name": ("성명", "이름", "name"),
    "birth_date": ("생년월일", "birth_date", "date_of_birth", "dob"),
    "rrn": ("주민등록번호", "주민번호", "rrn", "registration_number"),
    "address": ("주소", "address"),
    "crisis_signals": ("위기신호", "위기정보", "crisis_signals", "signals"),
    "urgency": ("긴급도", "urgency"),
    "description": ("비고", "메모", "description", "notes"),
}
REQUIRED = ("name", "birth_date", "address")
URGENCY_WORDS = {
    "": Lead.Urgency.NORMAL,
    "normal": Lead.Urgency.NORMAL,
    "보통": Lead.Urgency.NORMAL,
    "high": Lead.Urgency.HIGH,
    "높음": Lead.Urgency.HIGH,
    "emergency": Lead.Urgency.EMERGENCY,
    "긴급": Lead.Urgency.EMERGENCY,
}
_HEADER_JUNK = re.compile(r"[\s_\-.()\[\]]+")
_DATE_SEP = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SIGNAL_SPLIT = re.compile(r"[;,]")
SIGNAL_CODES = frozenset(CrisisSignal.values)


def _header_key(text: str) -> str:
    return _HEADER_JUNK.sub("", text).casefold()


HEADER_ALIASES = {
    _header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases
}


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


@dataclass
class UploadRow:
    row: int
    dong: Area
    name: str
    birth_date: dt.date
    rrn: str | None
    address: str
    signals: list[str]
    urgency: str
    description: str
    keys: MatchKeys = field(init=False)

    def __post_init__(self) -> None:
        self.keys = MatchKeys.of(
            name=self.name, address=self.address, rrn=self.rrn, birth_date=self.birth_date
        )


# Reading ---------------------------------------------------------------------------------


def _read_bytes(file, filename: str) -> bytes:
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


# Checking --------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    match = _DATE_SEP.match(text) or _DATE_COMPACT.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _rrn_text(text: str) -> str:
    """A number typed without its dash in Excel loses its leading zero (born 2000-2009)."""
    if text.isdigit() and len(text) < 13:
        return text.zfill(13)
    return text


def _gu_of(actor: User) -> Area | None:
    area = actor.home_area
    if area is None:
        return None
    if area.level == Area.Level.SIGUNGU:
        return area
    if area.level == Area.Level.DONG:
        return area.parent
    return None


def parse_upload(*, actor: User, data: bytes, filename: str) -> list[UploadRow]:
    """Every row of the file, checked; raises `UploadInvalid` with all problems found."""
    gu = _gu_of(actor)
    dongs = list(Area.objects.filter(parent=gu, level=Area.Level.DONG)) if gu else []
    by_code = {d.code: d for d in dongs}
    by_name = {}
    for d in dongs:
        by_name[normalise_name(d.name)] = d
        if d.name_en:
            by_name[normalise_name(d.name_en)] = d
    allowed = set(dong_ids_of(actor))
    max_rows = settings.MAEUL_UPLOAD_MAX_ROWS
    today = timezone.localdate()

    table = read_table(data=data, filename=filename)
    errors: list[RowError] = []
    header: list[str] | None = None
    columns: dict[str, int] = {}
    rows: list[UploadRow] = []
    seen: dict[tuple, int] = {}
    count = 0
    for number, cells in enumerate(table, start=1):
        if not any(cells):
            continue
        if header is None:
            header = cells
            for index, title in enumerate(cells):
                if not title:
                    continue
                name = HEADER_ALIASES.get(_header_key(title))
                if name is None:
                    errors.append(
                        RowError(number, _("Unknown column “%(column)s”.") % {"column": title})
                    )
                elif name in columns:
                    errors.append(
                        RowError(
                            number, _("Column “%(column)s” appears twice.") % {"column": title}
                        )
                    )
                else:
                    columns[name] = index
            missing = [c for c in REQUIRED if c not in columns]
            if "dong_code" not in columns and "dong_name" not in columns:
                missing.insert(0, "dong_code")
            for column in missing:
                errors.append(
                    RowError(
                        number,
                        _("Missing column: %(column)s (%(korean)s).")
                        % {"column": column, "korean": COLUMNS[column][0]},
                    )
                )
            if errors:
                raise UploadInvalid(errors)
            continue
        count += 1
        if count > max_rows:
            raise UploadInvalid(
                errors
                + [
                    RowError(
                        None,
                        _("The file has more than %(max)s rows; split it into smaller files.")
                        % {"max": f"{max_rows:,}"},
                    )
                ]
            )
        row = _parse_row(
            number=number,
            cells=cells,
            columns=columns,
            by_code=by_code,
            by_name=by_name,
            allowed=allowed,
            today=today,
            errors=errors,
        )
        if row is None:
            continue
        keys = [("name", row.keys.name_key, row.birth_date, row.keys.address_key)]
        if row.keys.rrn_index:
            keys.append(("rrn", row.keys.rrn_index))
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            errors.append(
                RowError(number, _("Duplicate of row %(row)s (same person).") % {"row": first})
            )
            continue
        for key in keys:
            seen[key] = number
        rows.append(row)
    if header is None or count == 0:
        errors.append(RowError(None, _("The file has no rows to import.")))
    if errors:
        raise UploadInvalid(errors)
    return rows


def _parse_row(
    *,
    number: int,
    cells: list[str],
    columns: dict[str, int],
    by_code: dict[str, Area],
    by_name: dict[str, Area],
    allowed: set[int],
    today: dt.date,
    errors: list[RowError],
) -> UploadRow | None:
    def get(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    problems: list[str] = []
    code, dong_name = get("dong_code"), get("dong_name")
    dong = by_code.get(code) if code else None
    if dong is None and dong_name:
        dong = by_name.get(normalise_name(dong_name))
    if dong is None:
        if code or dong_name:
            problems.append(_("Unknown dong “%(dong)s”.") % {"dong": code or dong_name})
        else:
            problems.append(_("The dong is missing."))
    elif dong.pk not in allowed:
        problems.append(
            _("“%(dong)s” is another dong: you may upload rows of your own dong only.")
            % {"dong": dong.name}
        )
    name = get("name")
    if not name:
        problems.append(_("The name is missing."))
    elif len(name) > 60:
        problems.append(_("The name is longer than 60 characters."))
    birth_text = get("birth_date")
    birth_date = parse_date(birth_text) if birth_text else None
    if not birth_text:
        problems.append(_("The birth date is missing."))
    elif birth_date is None:
        problems.append(
            _("“%(value)s” is not a date: use YYYY-MM-DD, YYYYMMDD or YYYY.MM.DD.")
            % {"value": birth_text}
        )
    elif birth_date > today or birth_date.year < 1900:
        problems.append(
            _("The birth date %(value)s is not plausible.") % {"value": birth_date.isoformat()}
        )
    rrn_text = get("rrn")
    rrn = normalise_rrn(_rrn_text(rrn_text)) if rrn_text else None
    if rrn_text and rrn is None:
        problems.append(_("The registration number must look like 900101-1234567."))
    address = get("address")
    if not address:
        problems.append(_("The address is missing."))
    elif len(address) > 200:
        problems.append(_("The address is longer than 200 characters."))
    signals = [s.strip() for s in _SIGNAL_SPLIT.split(get("crisis_signals")) if s.strip()]
    signals = list(dict.fromkeys(s.casefold() for s in signals))
    unknown = [s for s in signals if s not in SIGNAL_CODES]
    if unknown:
        problems.append(_("Unknown crisis signal: %(codes)s.") % {"codes": ", ".join(unknown)})
    urgency_text = get("urgency")
    urgency = URGENCY_WORDS.get(urgency_text.casefold())
    if urgency is None:
        problems.append(
            _("Unknown urgency “%(value)s”: use emergency, high or normal.")
            % {"value": urgency_text}
        )
    if problems:
        errors.extend(RowError(number, problem) for problem in problems)
        return None
    return UploadRow(
        row=number,
        dong=dong,
        name=name,
        birth_date=birth_date,
        rrn=rrn,
        address=address,
        signals=signals,
        urgency=urgency,
        description=get("description"),
    )


# Writing ---------------------------------------------------------------------------------


def upload_import(*, actor: User, file, filename: str) -> LeadUpload:
    if not actor.is_authenticated or not actor.is_hub_staff:
        raise PermissionDenied(gettext_lazy("Only hub staff may upload a high-risk list."))
    data = _read_bytes(file, filename)
    rows = parse_upload(actor=actor, data=data, filename=filename)
    return _write(actor=actor, rows=rows, filename=filename)


@transaction.atomic
def _write(*, actor: User, rows: list[UploadRow], filename: str) -> LeadUpload:
    from maeul.discovery.services import due_at_for

    now = timezone.now()
    gu_id = rows[0].dong.parent_id
    index = HouseholdIndex(gu_id=gu_id, keys=[r.keys for r in rows])
    matches = [index.match(r.keys) for r in rows]
    matched = sum(1 for known, _method in matches if known is not None)
    upload = LeadUpload.objects.create(
        uploaded_by=actor,
        filename=(filename or "")[:200],
        row_count=len(rows),
        matched_count=matched,
    )

    # Households and their heads, as `household_register` writes them.
    new_rows = [r for r, (known, _m) in zip(rows, matches, strict=True) if known is None]
    household_ids = bulk_insert(
        Household,
        [
            "dong",
            "address",
            "address_detail",
            "address_key",
            "lat",
            "lon",
            "phone",
            "housing",
            "groups",
            "care_notes",
            "created_at",
            "updated_at",
        ],
        [
            (
                r.dong.pk,
                r.address,
                "",
                r.keys.address_key,
                r.dong.lat,
                r.dong.lon,
                "",
                "",
                [],
                "",
                now,
                now,
            )
            for r in new_rows
        ],
        returning=True,
    )
    residents = []
    for r, household_id in zip(new_rows, household_ids, strict=True):
        head = resident_fill(
            Resident(name=r.name, birth_date=r.birth_date, relation=Resident.Relation.HEAD),
            rrn=r.rrn,
        )
        residents.append(
            (
                household_id,
                head.name,
                head.name_key,
                head.birth_date,
                "",
                "",
                head.relation,
                "",
                head.rrn_encrypted,
                head.rrn_index,
            )
        )
    bulk_insert(
        Resident,
        [
            "household",
            "name",
            "name_key",
            "birth_date",
            "sex",
            "phone",
            "relation",
            "disability",
            "rrn_encrypted",
            "rrn_index",
        ],
        residents,
    )

    # Leads, as `lead_register` writes them.
    new_ids = iter(household_ids)
    lead_rows = []
    household_dongs = []
    source, status, actor_id = Lead.Source.HIGH_RISK_LIST.value, Lead.Status.NEW.value, actor.pk
    due = {u: due_at_for(urgency=u, registered_at=now) for u in Lead.Urgency.values}
    for r, (known, method) in zip(rows, matches, strict=True):
        if known is None:
            household_id, household_dong_id = next(new_ids), r.dong.pk
        else:
            household_id, household_dong_id = known.household_id, known.dong_id
        household_dongs.append((household_id, household_dong_id, method))
        lead_rows.append(
            (
                r.dong.pk,
                household_id,
                source,
                r.urgency,
                status,
                method,
                actor_id,
                r.name,
                r.address,
                r.description[:5000],
                r.signals,
                due[r.urgency],
                now,
                upload.pk,
                "",
                "",
                "",
                "",
            )
        )
    lead_ids = bulk_insert(
        Lead,
        [
            "dong",
            "household",
            "source",
            "urgency",
            "status",
            "match",
            "reported_by",
            "subject_name",
            "address",
            "description",
            "crisis_signals",
            "due_at",
            "created_at",
            "upload",
            "reporter_name",
            "reporter_phone",
            "reporter_relation",
            "close_reason",
        ],
        lead_rows,
        returning=True,
    )

    # Timeline events, in the order the services write them.
    source_label = str(Lead.Source.HIGH_RISK_LIST.label)
    new = Lead.Match.NEW.value
    match_labels = {m.value: str(m.label) for m in Lead.Match}
    household_registered, lead_matched, lead_registered = (
        TimelineEvent.Kind.HOUSEHOLD_REGISTERED.value,
        TimelineEvent.Kind.LEAD_MATCHED.value,
        TimelineEvent.Kind.LEAD_REGISTERED.value,
    )
    events = [
        (
            household_registered,
            r.dong.pk,
            household_id,
            actor_id,
            "household",
            household_id,
            r.address[:300],
            now,
        )
        for r, household_id in zip(new_rows, household_ids, strict=True)
    ]
    events += [
        (
            lead_matched,
            household_dong_id,
            household_id,
            actor_id,
            "lead",
            lead_id,
            match_labels[method],
            now,
        )
        for (household_id, household_dong_id, method), lead_id in zip(
            household_dongs, lead_ids, strict=True
        )
        if method != new
    ]
    events += [
        (
            lead_registered,
            lead_row[0],
            lead_row[1],
            actor_id,
            "lead",
            lead_id,
            source_label,
            now,
        )
        for lead_row, lead_id in zip(lead_rows, lead_ids, strict=True)
    ]
    bulk_insert(
        TimelineEvent,
        [
            "kind",
            "dong",
            "household",
            "actor",
            "subject_type",
            "subject_id",
            "summary",
            "occurred_at",
        ],
        events,
    )
    return upload
