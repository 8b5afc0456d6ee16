"""Korean benefit programmes as an OpenFisca country package.

Entities ``person`` and ``household`` (roles head, spouse, child, parent, other), MONTH
periods, parameters in ``parameters/*.yaml`` with dated values and their source in metadata.
A new year is a data change: add dated values to the YAML.

The rest of maeul calls :func:`maeul.benefits.rules.evaluate.evaluate` (one household) or
:func:`maeul.benefits.rules.evaluate.evaluate_batch` (numpy arrays, many households)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from maeul.benefits.rules.entities import entities

PACKAGE_DIR = Path(__file__).resolve().parent

PROGRAMMES: tuple[str, ...] = (
    "nbls_livelihood",
    "nbls_medical",
    "nbls_housing",
    "nbls_education",
    "near_poor",
    "basic_pension",
    "disability_pension",
    "single_parent",
    "emergency_welfare",
    "child_allowance",
    "local_emergency_aid",
    "local_livelihood",
)

#: Crisis situations recognised for emergency support (긴급복지지원법 제2조 and the guide's
#: 위기사유), code → (Korean label, English label).
CRISIS_SITUATIONS: dict[str, tuple[str, str]] = {
    "main_earner_loss": (
        "주소득자의 사망·가출·행방불명·구금 등으로 소득 상실",
        "main earner died, left, went missing or was detained",
    ),
    "illness_injury": ("중한 질병 또는 부상", "serious illness or injury"),
    "abandonment_neglect": (
        "가구구성원으로부터 방임·유기 또는 학대",
        "abandoned, neglected or abused by a household member",
    ),
    "domestic_violence": (
        "가정폭력·성폭력으로 함께 살기 곤란",
        "domestic or sexual violence makes living together impossible",
    ),
    "fire_disaster": (
        "화재·자연재해 등으로 거주지에서 생활하기 곤란",
        "fire or natural disaster makes the home uninhabitable",
    ),
    "business_closure": (
        "주소득자 또는 부소득자의 휴업·폐업",
        "main or secondary earner's business suspended or closed",
    ),
    "job_loss": ("주소득자 또는 부소득자의 실직", "main or secondary earner lost their job"),
    "spouse_incarceration": (
        "가구구성원의 교정시설 출소 후 생계곤란",
        "hardship after a member's release from a correctional facility",
    ),
    "utility_cutoff": (
        "단전·단수·단가스 등으로 생계유지 곤란",
        "electricity, water or gas cut off",
    ),
    "eviction": ("임차료 체납 등으로 거주지 퇴거", "evicted for rent arrears"),
    "other_ordinance": (
        "지방자치단체 조례로 정한 사유",
        "another reason set by the local ordinance",
    ),
}


class KoreaTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__(entities)
        self.add_variables_from_directory(str(PACKAGE_DIR / "variables"))
        self.load_parameters(str(PACKAGE_DIR / "parameters"))


@cache
def tax_benefit_system() -> KoreaTaxBenefitSystem:
    """The one system of the process (building it parses the YAML: do it once)."""
    return KoreaTaxBenefitSystem()


# `openfisca test --country-package maeul.benefits.rules` looks for this name.
CountryTaxBenefitSystem = KoreaTaxBenefitSystem
