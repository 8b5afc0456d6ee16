"""The programmes. Each has a boolean household variable named by the programme id, and where
the guides give it, ``<id>_amount`` (KRW per month) and ``<id>_line`` (the selection line)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from maeul.benefits.rules.entities import Household, Person
from maeul.benefits.rules.variables.income import by_region, by_size, share_of

MONTH = DateUnit.MONTH


def _line(rate_param):
    def formula(household, period, parameters):
        rate = rate_param(parameters(period))
        return share_of(household("median_income", period), rate)

    return formula


# National Basic Livelihood Security ---------------------------------------------------------


class nbls_livelihood_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "생계급여 선정기준 (32% of the median)"
    formula = _line(lambda p: p.nbls.livelihood.rate)


class nbls_medical_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "의료급여 선정기준 (40%)"
    formula = _line(lambda p: p.nbls.medical.rate)


class nbls_housing_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "주거급여 선정기준 (48%)"
    formula = _line(lambda p: p.nbls.housing.rate)


class nbls_education_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "교육급여 선정기준 (50%)"
    formula = _line(lambda p: p.nbls.education.rate)


class near_poor_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "차상위 기준 (50%)"
    formula = _line(lambda p: p.nbls.near_poor.rate)


class single_parent_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "한부모 아동양육비 선정기준"
    formula = _line(lambda p: p.family.single_parent.rate)


class emergency_welfare_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "긴급지원 소득기준 (75%)"
    formula = _line(lambda p: p.emergency_welfare.income_rate)


class local_livelihood_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "구 생활안정 지원 기준"
    formula = _line(lambda p: p.local.livelihood.rate)


class local_emergency_aid_line(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "구 긴급지원 소득기준"
    formula = _line(lambda p: p.local.emergency_aid.income_rate)


class obligor_excludes_livelihood(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "A high-earning or wealthy support obligor excludes the livelihood benefit"
    reference = (
        "「국민기초생활보장사업 안내」 생계급여 부양의무자 기준 (2021.10 폐지, 고소득·고재산 예외)"
    )

    def formula(household, period, parameters):
        p = parameters(period).nbls.livelihood
        return (household("obligor_annual_income", period) > p.obligor_annual_income_limit) | (
            household("obligor_property", period) > p.obligor_property_limit
        )


class obligor_excludes_medical(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "A support obligor able to support excludes the medical benefit (simplified)"

    def formula(household, period, parameters):
        params = parameters(period)
        p = params.nbls.medical
        income_limit = 12 * params.median_income.size_2 * p.obligor_income_share_of_median_2
        return (household("obligor_annual_income", period) > income_limit) | (
            household("obligor_property", period) > p.obligor_property_limit
        )


class nbls_livelihood(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "생계급여"

    def formula(household, period, parameters):
        return (
            household("recognised_income", period) <= household("nbls_livelihood_line", period)
        ) & ~household("obligor_excludes_livelihood", period)


class nbls_livelihood_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "생계급여액 = 선정기준 − 소득인정액"

    def formula(household, period, parameters):
        gap = household("nbls_livelihood_line", period) - household("recognised_income", period)
        return np.where(household("nbls_livelihood", period), np.maximum(gap, 0), 0)


class nbls_medical(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "의료급여"

    def formula(household, period, parameters):
        return (
            household("recognised_income", period) <= household("nbls_medical_line", period)
        ) & ~household("obligor_excludes_medical", period)


class nbls_housing(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "주거급여 (no support-obligor rule)"

    def formula(household, period, parameters):
        return household("recognised_income", period) <= household("nbls_housing_line", period)


class school_age_members(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Members of school age (초·중·고, approximated by age)"

    def formula(household, period, parameters):
        p = parameters(period).nbls.education
        age = household.members("age", period)
        return household.sum((age >= p.min_age) & (age <= p.max_age))


class nbls_education(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "교육급여 (no support-obligor rule)"

    def formula(household, period, parameters):
        return (
            household("recognised_income", period) <= household("nbls_education_line", period)
        ) & (household("school_age_members", period) > 0)


class near_poor(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "차상위계층: 50% or less, not a livelihood or medical recipient"

    def formula(household, period, parameters):
        return (
            (household("recognised_income", period) <= household("near_poor_line", period))
            & ~household("nbls_livelihood", period)
            & ~household("nbls_medical", period)
        )


# Pensions -----------------------------------------------------------------------------------


class basic_pension_line(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "기초연금 선정기준액 for the person's unit (single or couple)"

    def formula(person, period, parameters):
        p = parameters(period).pensions.basic_pension.selection_line
        return np.where(person("pension_couple", period), p.couple, p.single)


class basic_pension_person(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Entitled to Basic Pension"

    def formula(person, period, parameters):
        p = parameters(period).pensions.basic_pension
        return (person("age", period) >= p.min_age) & (
            person("pension_recognised_income", period) <= person("basic_pension_line", period)
        )


def _both_spouses(person, flag):
    household = person.simulation.populations["household"]
    both = household.project(
        household.sum(flag, role=Household.HEAD) + household.sum(flag, role=Household.SPOUSE)
    )
    return (both == 2) & (person.has_role(Household.HEAD) | person.has_role(Household.SPOUSE))


class basic_pension_person_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "기초연금액 (기준연금액, 부부감액 20%)"

    def formula(person, period, parameters):
        p = parameters(period).pensions.basic_pension
        eligible = person("basic_pension_person", period)
        reduction = np.where(_both_spouses(person, eligible), 1 - p.couple_reduction, 1)
        return np.where(eligible, np.floor(p.base_amount * reduction), 0)


class basic_pension(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "기초연금 (any member)"

    def formula(household, period, parameters):
        return household.any(household.members("basic_pension_person", period))


class basic_pension_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        return household.sum(household.members("basic_pension_person_amount", period))


class disability_pension_line(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH

    def formula(person, period, parameters):
        p = parameters(period).pensions.disability_pension.selection_line
        return np.where(person("pension_couple", period), p.couple, p.single)


class disability_pension_person(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Entitled to Disability Pension (severe, 18+, income line)"

    def formula(person, period, parameters):
        p = parameters(period).pensions.disability_pension
        return (
            person("severe_disability", period)
            & (person("age", period) >= p.min_age)
            & (
                person("pension_recognised_income", period)
                <= person("disability_pension_line", period)
            )
        )


class disability_pension_person_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "기초급여액 (18–64; from 65 Basic Pension pays it); supplementary benefit not modelled"

    def formula(person, period, parameters):
        p = parameters(period).pensions.disability_pension
        eligible = person("disability_pension_person", period)
        reduction = np.where(_both_spouses(person, eligible), 1 - p.couple_reduction, 1)
        basic = person("age", period) < p.basic_component_max_age
        return np.where(eligible & basic, np.floor(p.base_amount * reduction), 0)


class disability_pension(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        return household.any(household.members("disability_pension_person", period))


class disability_pension_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        return household.sum(household.members("disability_pension_person_amount", period))


# Family -------------------------------------------------------------------------------------


class single_parent_children(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Children under 18 of a single parent"

    def formula(household, period, parameters):
        p = parameters(period).family.single_parent
        age = household.members("age", period)
        return household.sum(age < p.child_max_age, role=Household.CHILD) * household.any(
            household.members("is_single_parent", period)
        )


class single_parent(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "한부모가족 아동양육비"

    def formula(household, period, parameters):
        return (household("single_parent_children", period) > 0) & (
            household("recognised_income", period) <= household("single_parent_line", period)
        )


class single_parent_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).family.single_parent
        return np.where(
            household("single_parent", period),
            household("single_parent_children", period) * p.child_amount,
            0,
        )


class child_allowance_children(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).family.child_allowance
        return household.sum(household.members("age", period) < p.max_age)


class child_allowance(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "아동수당 (no means test)"

    def formula(household, period, parameters):
        return household("child_allowance_children", period) > 0


class child_allowance_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).family.child_allowance
        return household("child_allowance_children", period) * p.amount


# Emergency ----------------------------------------------------------------------------------


class emergency_welfare_property_ok(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).emergency_welfare
        limit = by_region(household("region", period), p.property_limit)
        financial = household.sum(household.members("assets_financial", period))
        return (household("net_general_property", period) <= limit) & (
            financial <= p.financial_limit
        )


class emergency_welfare(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "긴급복지 생계지원"

    def formula(household, period, parameters):
        return (
            household("in_crisis", period)
            & (household("monthly_income", period) <= household("emergency_welfare_line", period))
            & household("emergency_welfare_property_ok", period)
        )


class emergency_welfare_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).emergency_welfare
        amount = by_size(household("household_size", period), p.livelihood_amount)
        return np.where(household("emergency_welfare", period), amount, 0)


# Gu ordinance programmes (demo gu: Suyeong-gu) -----------------------------------------------


class local_livelihood(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "구 생활안정 지원: fails the NBLS livelihood benefit, under the gu's line"

    def formula(household, period, parameters):
        return ~household("nbls_livelihood", period) & (
            household("recognised_income", period) <= household("local_livelihood_line", period)
        )


class local_livelihood_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).local.livelihood
        return np.where(household("local_livelihood", period), p.amount, 0)


class local_emergency_aid(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "구 긴급지원: a crisis that national emergency support does not cover"

    def formula(household, period, parameters):
        p = parameters(period).local.emergency_aid
        return (
            household("in_crisis", period)
            & ~household("emergency_welfare", period)
            & (household("monthly_income", period) <= household("local_emergency_aid_line", period))
            & (household("net_general_property", period) <= p.property_limit)
        )


class local_emergency_aid_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).local.emergency_aid
        return np.where(household("local_emergency_aid", period), p.amount, 0)
