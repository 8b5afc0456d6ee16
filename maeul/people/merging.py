"""The mechanism each app's `merge` module uses to move its own rows when two records of one
household are merged (`people.registry.households_merge`) and to send them back on undo.

An app opts in with a `merge.py` that binds it to its own tables: every foreign key (one-to-ones
included) of that app's tables to a household, so a table it adds later moves too. A row a
household may hold only once (a unique constraint) makes the database refuse the move, and the
whole merge with it."""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps
from django.db import models

from maeul.people.models import Household


class OwnRows:
    """The household rows of one app's tables, moved by that app's `merge` module."""

    def __init__(self, app_label: str) -> None:
        self.app_label = app_label

    def _fields(self) -> list[models.Field]:
        return [
            field
            for model in apps.get_app_config(self.app_label).get_models()
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is Household
        ]

    def move_household(self, *, source: Household, target: Household) -> dict[str, list[int]]:
        """Move every row of `source` to `target`; returns the ids moved per table and field
        (kept on the merge record for the undo)."""
        moved: dict[str, list[int]] = {}
        for field in self._fields():
            ids = list(
                field.model._base_manager.filter(**{field.name: source}).values_list(
                    "pk", flat=True
                )
            )
            if ids:
                field.model._base_manager.filter(pk__in=ids).update(**{field.name: target})
                moved[_label(field)] = ids
        return moved

    def undo(self, *, moved: Mapping[str, list[int]], source: Household, target: Household) -> None:
        """Send the rows that moved back to the restored `source` (rows made since stay)."""
        for field in self._fields():
            ids = moved.get(_label(field), [])
            if ids:
                field.model._base_manager.filter(pk__in=ids, **{field.name: target}).update(
                    **{field.name: source}
                )


def _label(field: models.Field) -> str:
    return f"{field.model._meta.label}.{field.name}"
