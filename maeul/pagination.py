"""One way to page through a queryset for lists in the API and the pages."""

from __future__ import annotations

from collections.abc import Callable
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
