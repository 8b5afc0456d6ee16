"""Input variables: what the registry or a counselling session knows (KRW per month)."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from maeul.benefits.rules.entities import Household, Person

MONTH = DateUnit.MONTH


class Region(Enum):
    metropolitan = "대도시 (광역시·세종·창원)"
    city = "중소도시"
    rural = "농어촌"


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Age in full years (만 나이)"


class earned_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Earned and business income (근로·사업소득), monthly"


class other_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Other income: property income, public and private transfers (재산·이전소득), monthly"


class assets_general(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "General property (일반재산: housing, land, deposits for rent)"


class assets_financial(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Financial assets (금융재산)"


class debts(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Debts (부채)"


class car_value(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Car value (자동차 가액)"


class severe_disability(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Severe disability (장애의 정도가 심한 장애인)"


class is_single_parent(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Is a single parent raising the household's children (한부모)"


class region(Variable):
    value_type = Enum
    possible_values = Region
    default_value = Region.metropolitan
    entity = Household
    definition_period = MONTH
    label = "Region class for property deductions"


class in_crisis(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "A crisis situation (위기사유) recognised for emergency support"


class obligor_annual_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Highest annual income among the support obligors (부양의무자), 0 when none"


class obligor_property(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Highest property among the support obligors, 0 when none"
