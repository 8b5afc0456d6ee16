"""One way to page through a queryset for lists in the API and the pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

MAX_PAGE_SIZE = 200
#: Past this a page number is a mistake or an attack: the offset would overflow the database.
MAX_PAGE = 100_000


def page_bounds(page: int, page_size: int, *, max_size: int = MAX_PAGE_SIZE) -> tuple[int, int]:
    """(page, page_size) clamped to sane values."""
    return max(1, min(page, MAX_PAGE)), max(1, min(page_size, max_size))


def paginate(
    queryset: QuerySet,
    *,
    page: int,
    page_size: int,
    row: Callable[[Any], Any] = lambda obj: obj,
    max_size: int = MAX_PAGE_SIZE,
) -> dict:
    """{count, page, page_size, results} for one page of a queryset."""
    page, page_size = page_bounds(page, page_size, max_size=max_size)
    start = (page - 1) * page_size
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
        "results": [row(obj) for obj in queryset[start : start + page_size]],
    }


@dataclass
class OpenPage:
    """A page of a list whose total is not counted (`page_without_total`): iterable like a
    Django page, with `number`, `has_previous`/`has_next` and the neighbouring numbers."""

    rows: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_without_total(queryset: QuerySet, *, page: Any, page_size: int) -> OpenPage:
    """One page of a list that is only ever read from its newest end and grows without
    bound (the audit trail: an exact count of every row costs more than the page, and grows
    with the trail): page_size + 1 rows are read, the extra one only to know that a next page
    exists. `page` as typed in the URL: not a number, or below 1, is the first page."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    number, page_size = page_bounds(number, page_size)
    start = (number - 1) * page_size
    rows = list(queryset[start : start + page_size + 1])
    return OpenPage(rows=rows[:page_size], number=number, has_next=len(rows) > page_size)


def in_order_of(queryset: QuerySet, ids: list[int]) -> list:
    """The rows of `queryset` whose ids are in `ids`, in the order of `ids` (an id the
    queryset does not give, out of scope or gone since, is left out). The second half of
    ids-first paging: a page's ids are sorted on the table alone, then only their rows are
    loaded with the joins the list shows."""
    found = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]
