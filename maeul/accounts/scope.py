"""The dongs a staff user works in: the one rule every scoped read starts from.

It lives in accounts, the lowest app that knows users, so that accounts' own services and
every app above use the same rule (`people.selectors.dong_ids_of` re-exports it)."""

from __future__ import annotations

from maeul.accounts.backends import SPHERE_FLAG
from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.areas.selectors import sphere_linked_dong_ids

__all__ = ["dong_ids_of"]


def dong_ids_of(user: User) -> list[int]:
    """The dongs a staff user works in: their home dong, or every dong of their gu. Kept on
    the user object, which lives for one request, so a page asks the database once."""
    cached = getattr(user, "_dong_ids", None)
    if cached is None or cached[0] != user.home_area_id:
        cached = (user.home_area_id, _dong_ids_of(user))
        setattr(user, "_dong_ids", cached)  # noqa: B010 (a per-request cache, not a field)
    return list(cached[1])


def _dong_ids_of(user: User) -> list[int]:
    area = user.home_area
    if area is None:
        return []
    if area.level == Area.Level.DONG:
        # UserBackend says, with the user's row, when the dong has no standing sphere link;
        # a user loaded another way (an API token, a test) is asked the database.
        if getattr(user, SPHERE_FLAG, True) is False:
            return [area.pk]
        return [area.pk, *sphere_linked_dong_ids(area.pk)]
    if area.level == Area.Level.SIGUNGU:
        return list(
            Area.objects.filter(parent=area, level=Area.Level.DONG).values_list("pk", flat=True)
        )
    if area.level in (Area.Level.TONG, Area.Level.BAN):
        node: Area | None = area
        while node is not None and node.level != Area.Level.DONG:
            node = node.parent
        return [node.pk] if node else []
    return list(
        Area.objects.filter(parent__parent=area, level=Area.Level.DONG).values_list("pk", flat=True)
    )
