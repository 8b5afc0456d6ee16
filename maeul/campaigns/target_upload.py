"""Upload of a campaign's target list as a file (CSV in UTF-8 or CP949, or XLSX, read with
discovery's upload reader and its size limits), for lists made outside the registry's
filters: a survey sheet, a partner's list, last year's list. Each row names one household; the
matched households are added through `campaigns.services.targets_add`.

The layout (first row: headers, Korean or English, in any order; one of the three ways of
naming the household per row):

| column     | headers accepted                                 | content                          |
|------------|--------------------------------------------------|----------------------------------|
| household  | 가구번호, 가구기록번호, household, household_id    | the registry's household record no. |
| rrn        | 주민등록번호, rrn                                  | a member's number, 900101-1234567 |
| name       | 성명, 이름, name                                   | a member's name, with birth_date  |
| birth_date | 생년월일, birth_date, birth                        | 1945-05-05, 1945.05.05, 19450505  |

A row is matched by the record no. if it has one, else by the registration number's blind
index, else by name and birth date; only among the households the uploader may see in the
campaign's area. All or nothing: a row that names no household, names one outside the area or
her scope, could be more than one household, or repeats an earlier row refuses the whole file
with every such row listed. Households already on the list are counted and left as they are."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.campaigns.models import Campaign, Target
from maeul.campaigns.services import targets_add
from maeul.campaigns.services.campaigns import campaign_for_work
from maeul.discovery.upload.check import parse_date
from maeul.discovery.upload.read import RowError, UploadInvalid, read_table, read_upload_bytes
from maeul.people.identity import blind_index, normalise_rrn
from maeul.people.models import Resident
from maeul.people.selectors import households_visible_to
from maeul.text import normalise_name

COLUMNS = {
    "household": ("가구번호", "가구기록번호", "household", "household_id"),
    "rrn": ("주민등록번호", "rrn"),
    "name": ("성명", "이름", "name"),
    "birth_date": ("생년월일", "birth_date", "birth"),
}
_JUNK = re.compile(r"[\s_\-.()\[\]]+")


def _key(text: str) -> str:
    return _JUNK.sub("", text).casefold()


ALIASES = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class UploadResult:
    rows: int
    added: int
    already: int


@dataclass(frozen=True)
class _Row:
    row: int
    household_id: int | None = None
    rrn: str | None = None
    name: str = ""
    birth_date: dt.date | None = None


def _parse(data: bytes, filename: str) -> tuple[list[_Row], list[RowError]]:
    table = read_table(data=data, filename=filename)
    header = next(table, None)
    if header is None:
        raise UploadInvalid([RowError(None, _("The file is empty."))])
    columns = {ALIASES[_key(h)]: i for i, h in enumerate(header) if _key(h) in ALIASES}
    if not ("household" in columns or "rrn" in columns or {"name", "birth_date"} <= set(columns)):
        raise UploadInvalid(
            [
                RowError(
                    1,
                    _(
                        "Name the household by one of: household (record no.), rrn, or name "
                        "with birth_date."
                    ),
                )
            ]
        )
    rows: list[_Row] = []
    errors: list[RowError] = []
    for number, cells in enumerate(table, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = columns.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        if cell("household"):
            text = cell("household").removeprefix("#").replace(",", "")
            if not text.isdigit():
                errors.append(RowError(number, _("the household record no. must be a number")))
                continue
            rows.append(_Row(number, household_id=int(text)))
        elif cell("rrn"):
            raw = cell("rrn")
            rrn = normalise_rrn(raw.zfill(13) if raw.isdigit() and len(raw) == 12 else raw)
            if rrn is None:
                errors.append(
                    RowError(number, _("the registration number must look like 900101-1234567"))
                )
                continue
            rows.append(_Row(number, rrn=rrn))
        elif cell("name") or cell("birth_date"):
            born = parse_date(cell("birth_date"))
            if not cell("name") or born is None:
                errors.append(
                    RowError(number, _("a name needs its birth date (and a birth date its name)"))
                )
                continue
            rows.append(_Row(number, name=normalise_name(cell("name")), birth_date=born))
        else:
            errors.append(RowError(number, _("the row names no household")))
    if not rows and not errors:
        raise UploadInvalid([RowError(None, _("The file lists no household."))])
    return rows, errors


def _households_in_area(actor: User, campaign: Campaign):
    households = households_visible_to(actor)
    if campaign.area.level == Area.Level.DONG:
        return households.filter(dong_id=campaign.area_id)
    return households.filter(dong__parent_id=campaign.area_id)


def _match(
    actor: User, campaign: Campaign, rows: list[_Row]
) -> tuple[dict[int, int], list[RowError]]:
    """Row number → household id, and a problem for every row that matched none, more than
    one, or a household an earlier row already named."""
    area = _households_in_area(actor, campaign)
    ids = {r.household_id for r in rows if r.household_id is not None}
    known = set(area.filter(pk__in=ids).values_list("pk", flat=True))
    by_rrn: dict[str, set[int]] = {}
    for index, household_id in Resident.objects.filter(
        rrn_index__in={blind_index(r.rrn) for r in rows if r.rrn}, household__in=area
    ).values_list("rrn_index", "household_id"):
        by_rrn.setdefault(index, set()).add(household_id)
    by_person: dict[tuple[str, dt.date], set[int]] = {}
    for name_key, born, household_id in Resident.objects.filter(
        name_key__in={r.name for r in rows if r.name},
        birth_date__in={r.birth_date for r in rows if r.birth_date},
        household__in=area,
    ).values_list("name_key", "birth_date", "household_id"):
        if born is not None:
            by_person.setdefault((name_key, born), set()).add(household_id)
    matched: dict[int, int] = {}
    first_row: dict[int, int] = {}
    errors: list[RowError] = []
    for row in rows:
        if row.household_id is not None:
            found = {row.household_id} & known
        elif row.rrn is not None:
            found = by_rrn.get(blind_index(row.rrn), set())
        else:
            assert row.birth_date is not None
            found = by_person.get((row.name, row.birth_date), set())
        if not found:
            errors.append(
                RowError(
                    row.row,
                    _("no household of this campaign's area that you may see matches"),
                )
            )
        elif len(found) > 1:
            errors.append(
                RowError(
                    row.row,
                    _("%(n)s households match; give the household record no.") % {"n": len(found)},
                )
            )
        else:
            household_id = found.pop()
            if household_id in first_row:
                errors.append(
                    RowError(
                        row.row,
                        _("the same household as row %(row)s") % {"row": first_row[household_id]},
                    )
                )
            else:
                first_row[household_id] = row.row
                matched[row.row] = household_id
    return matched, errors


@transaction.atomic
def targets_upload(*, actor: User, campaign: Campaign, file, filename: str) -> UploadResult:
    """Add the households a file lists to the campaign's target list (see the module's
    layout). All or nothing."""
    campaign_for_work(actor, campaign)
    rows, errors = _parse(read_upload_bytes(file, filename), filename)
    matched, unmatched = _match(actor, campaign, rows)
    if errors or unmatched:
        raise UploadInvalid(sorted([*errors, *unmatched], key=lambda e: e.row or 0))
    household_ids = list(matched.values())
    already = Target.objects.filter(campaign=campaign, household_id__in=household_ids).count()
    added = targets_add(actor=actor, campaign=campaign, household_ids=household_ids)
    return UploadResult(rows=len(rows), added=added, already=already)


__all__ = ["COLUMNS", "UploadResult", "targets_upload"]
