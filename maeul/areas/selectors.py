"""Reads of the area tree that other apps' access rules rely on."""

from __future__ import annotations


def sphere_linked_dong_ids(central_dong_id: int) -> list[int]:
    """The dongs whose households a central dong's team works under a sphere-type hub model
    (issue 13: a sphere link lets the central dong's team work the linked dongs' households).
    Filled in by the sphere-link model; until then a dong works only its own households."""
    return []
