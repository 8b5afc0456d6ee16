"""The household merge, the part of campaigns: campaigns alone writes its tables, so it moves its
own rows when two records of one household are merged (`people.registry.households_merge` finds
this module through the installed apps) and sends them back on undo.

Places on campaign target lists and the care check-in of the merged record go to the kept one:
every foreign key of campaigns's tables to a household, so a table added later moves too. A row
a household may hold only once (a unique constraint) makes the database refuse the move, and
the whole merge with it."""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps
from django.db import models

from maeul.people.models import Household


def _fields() -> list[models.Field]:
    """The foreign keys (one-to-ones included) of campaigns's tables to a household."""
    return [
        field
        for model in apps.get_app_config("campaigns").get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Household
    ]


def _label(field: models.Field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def move_household(*, source: Household, target: Household) -> dict[str, list[int]]:
    """Move every row of `source` to `target`; returns the ids moved per table and field (kept
    on the merge record for the undo)."""
    moved: dict[str, list[int]] = {}
    for field in _fields():
        rows = field.model._base_manager.filter(**{field.name: source})
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            field.model._base_manager.filter(pk__in=ids).update(**{field.name: target})
            moved[_label(field)] = ids
    return moved


def undo(*, moved: Mapping[str, list[int]], source: Household, target: Household) -> None:
    """Send the rows that moved back to the restored `source` (rows made since stay)."""
    for field in _fields():
        ids = moved.get(_label(field), [])
        if ids:
            field.model._base_manager.filter(pk__in=ids, **{field.name: target}).update(
                **{field.name: source}
            )
