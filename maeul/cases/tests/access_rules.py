"""Access rules of the cases pages added after the core matrix (partner portal, sign-off)."""

from __future__ import annotations

from tests.access import rule

RULES = {
    "cases:referral_detail": rule("linkage", {"partner_user"}),
}
