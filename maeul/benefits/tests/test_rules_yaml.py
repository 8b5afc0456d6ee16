"""The OpenFisca YAML tests of maeul/benefits/rules/tests/*.yaml (threshold cases from the
published tables, worked examples), one pytest test per case, plus one run of OpenFisca's own
test runner over the same files (what `openfisca test` does)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.tools import assert_near
from openfisca_core.tools.test_runner import run_tests

from maeul.benefits.rules import tax_benefit_system

YAML_DIR = Path(__file__).resolve().parent.parent / "rules" / "tests"


def _cases() -> list:
    params = []
    for path in sorted(YAML_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


CASES = _cases()


def test_every_programme_has_yaml_cases():
    from maeul.benefits.rules import PROGRAMMES

    covered = {var for case in CASES for var in case.values[0]["output"]}
    assert set(PROGRAMMES) <= covered


@pytest.mark.parametrize("case", CASES)
def test_yaml_case(case):
    builder = SimulationBuilder()
    builder.set_default_period(str(case["period"]))
    simulation = builder.build_from_entities(tax_benefit_system(), case["input"])
    for variable, expected in case["output"].items():
        assert_near(
            simulation.calculate(variable, str(case["period"])),
            expected,
            absolute_error_margin=case.get("absolute_error_margin", 0),
            message=f"{variable}@{case['period']}: ",
        )


def test_openfisca_test_runner_accepts_the_files():
    assert run_tests(tax_benefit_system(), str(YAML_DIR / "worked_examples.yaml")) == 0
