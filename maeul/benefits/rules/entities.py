"""Entities of the Korean rules: a person and the household of the resident registration
(세대). Household roles follow the relation to the head recorded in the registry."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="A resident",
    is_person=True,
)

Household = build_entity(
    key="household",
    plural="households",
    label="A household (세대)",
    doc="Members living together as registered; benefits are assessed on this unit.",
    roles=[
        {"key": "head", "label": "Head (세대주)", "max": 1},
        {"key": "spouse", "label": "Spouse (배우자)", "max": 1},
        {"key": "child", "plural": "children", "label": "Child (자녀)"},
        {"key": "parent", "plural": "parents", "label": "Parent (부모)"},
        {"key": "other", "plural": "others", "label": "Other member"},
    ],
)

entities = [Person, Household]
