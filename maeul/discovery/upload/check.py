"""Checking a high-risk list: every row's columns recognised (Korean or English headers),
dates, registration numbers, dongs of the uploader's gu, signals and urgency — the whole file
before anything is written, every problem reported with its spreadsheet row number."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.discovery.matching import MatchKeys
from maeul.discovery.models import CrisisSignal, Lead
from maeul.discovery.upload.read import RowError, UploadInvalid, read_table
from maeul.people.identity import normalise_rrn
from maeul.people.selectors import dong_ids_of
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
