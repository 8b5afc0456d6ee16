"""Reads of the area tree that other apps' access rules rely on."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from maeul.areas.models import Area, SphereLink


def sphere_linked_dong_ids(central_dong_id: int, *, on: dt.date | None = None) -> list[int]:
    """The dongs whose households a central dong's team works under a sphere-type hub model
    (issue 13): the linked dongs of the links standing today (or on `on`). One query; the
    people app's `dong_ids_of` keeps the answer for the request."""
    return list(
        SphereLink.objects.active(on)
        .filter(central_dong_id=central_dong_id)
        .order_by("linked_dong_id")
        .values_list("linked_dong_id", flat=True)
        .distinct()
    )


def sphere_links_of_gu(gu: Area) -> QuerySet[SphereLink]:
    """Every sphere link between the gu's dongs, standing or ended (the record of who granted
    which access and when), newest first."""
    return (
        SphereLink.objects.filter(central_dong__parent=gu)
        .select_related("central_dong", "linked_dong", "created_by", "ended_by")
        .order_by("ends_on", "-starts_on", "central_dong__code", "linked_dong__code")
    )
