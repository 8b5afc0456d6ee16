"""Access rules of the funds app's pages (the directory and, later, the money pages)."""

from __future__ import annotations

from maeul.resources.models import Service
from tests.access import STAFF, STAFF_PAGE, rule

RULES = {
    "funds:directory": STAFF_PAGE,
    "funds:service_new": STAFF_PAGE,
    "funds:service_detail": rule("service", STAFF),
    "funds:service_edit": rule("service", STAFF),
    "funds:resource_list": STAFF_PAGE,
    "funds:partner_list": STAFF_PAGE,
}
PARAMS = {"service_id": "service"}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    service = Service.objects.create(
        organization=partner,
        area=dong,
        name=f"{marker}밑반찬",
        description=f"{marker}설명",
        domains=["daily_living"],
    )
    scope["service"] = service.pk
