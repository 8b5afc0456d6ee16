"""A gu's own lines for its ordinance programmes, as an OpenFisca reform.

The demo values live in ``parameters/local.yaml`` (the defaults every gu starts from). A gu
sets its own values on the gu page (``LocalRuleSetting`` rows, dated); the benefits app
builds the gu's system here from them (:func:`gu_system`) and passes it to
``evaluate``/``evaluate_batch`` (``system=``). Only the ``local`` parameters may change:
national lines are not a gu's to edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.reforms import Reform
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from maeul.benefits.rules import tax_benefit_system

#: A value from ``start`` on, or dated values ``[(start, value), ...]``.
Override = float | int | Sequence[tuple[str | dt.date, float | int]]


def local_parameters() -> list[dict[str, Any]]:
    """The gu's editable parameters: every leaf under ``local`` in the YAML, as
    ``{"path": "livelihood.rate", "description", "unit", "values": [(start, value), ...]}``
    (``values`` oldest first: the national defaults and their history)."""
    out: list[dict[str, Any]] = []

    def walk(node: ParameterNode, prefix: str) -> None:
        for name, child in node.children.items():
            path = f"{prefix}{name}"
            if isinstance(child, ParameterNode):
                walk(child, f"{path}.")
            elif isinstance(child, Parameter):
                out.append(
                    {
                        "path": path,
                        "description": child.description or "",
                        "unit": (child.metadata or {}).get("unit", ""),
                        "values": sorted(
                            (at.instant_str, at.value)
                            for at in child.values_list
                            if at.value is not None
                        ),
                    }
                )

    walk(tax_benefit_system().parameters.local, "")
    return out


def _dated(path: str, value: Any, start: str) -> list[tuple[str, float | int]]:
    pairs = [(start, value)] if not isinstance(value, list | tuple) else list(value)
    out = []
    for item in pairs:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError(f"local.{path} dated values must be (start, value) pairs")
        when, number = item
        when = when.isoformat() if isinstance(when, dt.date) else str(when)
        try:
            dt.date.fromisoformat(when)
        except ValueError:
            raise ValueError(f"local.{path} has a start that is not a date: {when!r}") from None
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            raise ValueError(f"local.{path} must be a non-negative number, got {number!r}")
        out.append((when, number))
    return sorted(out, key=lambda pair: pair[0])


def gu_system(overrides: Mapping[str, Override], *, start: str = "2025-01-01") -> TaxBenefitSystem:
    """The system with ``local.<path>`` values replaced, e.g.
    ``gu_system({"livelihood.rate": 0.7, "emergency_aid.amount": 700_000})`` (from ``start``
    on) or ``gu_system({"livelihood.rate": [("2026-01-01", 0.65), ("2026-07-01", 0.7)]})``
    (each value from its date until the next; before the first, the YAML's)."""
    base = tax_benefit_system()
    dated: dict[str, list[tuple[str, float | int]]] = {}
    for path, value in overrides.items():
        node = base.parameters.local
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                raise ValueError(f"local.{path} is not a gu parameter")
        if isinstance(node, ParameterNode):
            raise ValueError(f"local.{path} is a group of parameters, not one value")
        dated[path] = _dated(path, value, start)

    def modify(parameters: ParameterNode) -> ParameterNode:
        for path, values in dated.items():
            node = parameters.local
            for part in path.split("."):
                node = getattr(node, part)
            # oldest first: each update holds from its start until the next one replaces it
            for when, value in values:
                node.update(start=when, value=value)
        return parameters

    class GuLines(Reform):
        name = "gu ordinance lines"

        def apply(self) -> None:
            self.modify_parameters(modifier_function=modify)

    return GuLines(base)
