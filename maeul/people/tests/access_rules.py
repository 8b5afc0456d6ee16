"""Access rules of the registry pages (see tests/access.py)."""

from __future__ import annotations

from maeul.people.models import Household
from maeul.people.registry import households_merge
from maeul.people.services import household_register
from tests.access import STAFF, rule

RULES = {
    "people:household_edit": rule("household", STAFF),
    "people:member_add": rule("household", method="POST"),
    "people:household_merge": rule("household", method="POST"),
    "people:member_edit": rule("resident", STAFF),
    "people:member_move": rule("resident", method="POST"),
    "people:merge_undo": rule("merge", method="POST"),
}

PARAMS = {"merge_id": "merge"}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    """A duplicate of the scope's household merged into it."""
    household = Household.objects.get(pk=scope["household"])
    duplicate = household_register(
        actor=actor, dong=dong, address=household.address, head_name=f"{marker}김둘"
    )
    scope["merge"] = households_merge(actor=actor, keep=household, merge=duplicate).pk
