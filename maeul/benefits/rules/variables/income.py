"""Household size, standard median income and recognised income (소득인정액).

소득인정액 = 소득평가액 + 재산의 소득환산액. NBLS, near-poor, single-parent support and the
gu programmes use the NBLS evaluation; Basic Pension and Disability Pension use their own
(selection unit = the person and spouse, other deductions and conversion rate)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from maeul.benefits.rules.entities import Household, Person
from maeul.benefits.rules.variables.inputs import Region

MONTH = DateUnit.MONTH


def share_of(amount, rate):
    """A line published as a share of the median: rounded to the won (as in the tables).
    Computed in float64: OpenFisca holds money in float32, too coarse for the half won."""
    return np.floor(np.asarray(amount, dtype=np.float64) * rate + 0.5 + 1e-6)


def by_region(region, node):
    return np.select(
        [region == Region.metropolitan, region == Region.city],
        [node.metropolitan, node.city],
        node.rural,
    )


def by_size(size, node):
    """A table by household size 1–6; from 7 persons, add the 6-minus-5 difference per person."""
    table = np.array([node.size_1, node.size_2, node.size_3, node.size_4, node.size_5, node.size_6])
    extra = np.maximum(size - 6, 0) * (table[5] - table[4])
    return table[np.clip(size, 1, 6) - 1] + extra


class household_size(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Members of the household (가구원 수)"

    def formula(household, period, parameters):
        return household.nb_persons()


class median_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Standard median income for the household size (기준 중위소득)"
    reference = "보건복지부 고시 기준 중위소득"

    def formula(household, period, parameters):
        return by_size(household("household_size", period), parameters(period).median_income)


class monthly_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Income before deductions, all members (emergency support's income test)"

    def formula(household, period, parameters):
        members = household.members
        return household.sum(members("earned_income", period) + members("other_income", period))


class income_evaluation(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "소득평가액 (NBLS): earned income less 30%, plus other income"

    def formula(household, period, parameters):
        rate = parameters(period).nbls.income.earned_income_deduction_rate
        members = household.members
        earned = members("earned_income", period) * (1 - rate)
        return household.sum(earned + members("other_income", period))


class net_general_property(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "General property less debts (may be negative)"

    def formula(household, period, parameters):
        members = household.members
        return household.sum(members("assets_general", period) - members("debts", period))


class property_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "재산의 소득환산액 (NBLS)"

    def formula(household, period, parameters):
        p = parameters(period).nbls.property
        members = household.members
        net_general = household("net_general_property", period)
        financial = household.sum(members("assets_financial", period))
        cars = household.sum(members("car_value", period))
        basic = by_region(household("region", period), p.basic_deduction)
        general_base = np.maximum(net_general - basic, 0)
        # debts beyond general property are deducted from financial assets
        financial_base = np.maximum(
            financial + np.minimum(net_general, 0) - p.financial_deduction, 0
        )
        return (
            general_base * p.general_conversion_rate
            + financial_base * p.financial_conversion_rate
            + cars * p.car_conversion_rate
        )


class recognised_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "소득인정액 (NBLS): income evaluation plus converted property"

    def formula(household, period, parameters):
        return household("income_evaluation", period) + household("property_income", period)


# Basic Pension / Disability Pension: the selection unit is the person and their spouse.


class pension_couple(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Head or spouse in a household that has both (부부가구)"

    def formula(person, period, parameters):
        household = person.simulation.populations["household"]
        both = household.project(
            (household.nb_persons(Household.HEAD) > 0)
            & (household.nb_persons(Household.SPOUSE) > 0)
        )
        return both & (person.has_role(Household.HEAD) | person.has_role(Household.SPOUSE))


def _unit_sum(person, values, period):
    """Sum over the pension unit: head + spouse for a couple, the person alone otherwise."""
    household = person.simulation.populations["household"]
    couple_total = household.project(
        household.sum(values, role=Household.HEAD) + household.sum(values, role=Household.SPOUSE)
    )
    return np.where(person("pension_couple", period), couple_total, values)


class pension_recognised_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "소득인정액 of the Basic / Disability Pension selection unit"
    reference = "「기초연금 사업안내」 소득인정액 산정"

    def formula(person, period, parameters):
        p = parameters(period).pensions.basic_pension
        earned = person("earned_income", period)
        evaluated = np.maximum(earned - p.earned_income_deduction, 0) * (
            1 - p.earned_income_deduction_rate
        ) + person("other_income", period)
        car = person("car_value", period)
        luxury = car >= p.luxury_car_value
        general = person("assets_general", period) + np.where(luxury, 0, car)
        net_general = _unit_sum(person, general - person("debts", period), period)
        financial = _unit_sum(person, person("assets_financial", period), period)
        basic = by_region(person.household("region", period), p.basic_deduction)
        general_base = np.maximum(net_general - basic, 0)
        financial_base = np.maximum(
            financial + np.minimum(net_general, 0) - p.financial_deduction, 0
        )
        converted = (general_base + financial_base) * p.conversion_rate_annual / 12
        return (
            _unit_sum(person, evaluated, period)
            + converted
            + _unit_sum(person, np.where(luxury, car, 0), period)
        )
