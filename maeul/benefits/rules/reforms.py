"""A gu's own lines for its ordinance programmes, as an OpenFisca reform.

The demo values live in ``parameters/local.yaml``; a gu that changes its ordinance either
edits that file (a dated value: the history stays) or, for a "what if" screen, builds a
reformed system here and passes it to ``evaluate``/``evaluate_batch`` (``system=``). Only the
``local`` parameters may change: national lines are not a gu's to edit."""

from __future__ import annotations

from collections.abc import Mapping

from openfisca_core.parameters import ParameterNode
from openfisca_core.reforms import Reform
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from maeul.benefits.rules import tax_benefit_system


def gu_system(overrides: Mapping[str, float], *, start: str = "2025-01-01") -> TaxBenefitSystem:
    """The system with ``local.<path>`` values replaced from ``start`` on, e.g.
    ``gu_system({"livelihood.rate": 0.7, "emergency_aid.amount": 700_000})``."""
    base = tax_benefit_system()
    for path, value in overrides.items():
        node = base.parameters.local
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                raise ValueError(f"local.{path} is not a gu parameter")
        if isinstance(node, ParameterNode):
            raise ValueError(f"local.{path} is a group of parameters, not one value")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"local.{path} must be a non-negative number, got {value!r}")

    def modify(parameters: ParameterNode) -> ParameterNode:
        for path, value in overrides.items():
            node = parameters.local
            for part in path.split("."):
                node = getattr(node, part)
            node.update(start=start, value=value)
        return parameters

    class GuLines(Reform):
        name = "gu ordinance lines"

        def apply(self) -> None:
            self.modify_parameters(modifier_function=modify)

    return GuLines(base)
