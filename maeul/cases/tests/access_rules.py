"""Access rules of the cases pages added after the core matrix (partner portal, sign-off,
the API's case edits that carry the case's version)."""

from __future__ import annotations

from maeul.cases.models import Case
from maeul.cases.services import signoff_request
from tests.access import rule

RULES = {
    "cases:referral_detail": rule("linkage", {"partner_user"}),
    "api:add_goal": rule("case", method="POST"),
    "api:request_signoff": rule("case", method="POST"),
    "api:decide_signoff": rule("signoff", method="POST"),
}
PARAMS = {"signoff_id": "signoff"}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    """A closure of the scope's case waiting for the team lead's sign-off."""
    case = Case.objects.get(pk=scope["case"])
    signoff = signoff_request(
        actor=actor, case=case, subject="closure", close_reason="moved", note=f"{marker}메모"
    )
    scope["signoff"] = signoff.pk
