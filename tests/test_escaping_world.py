"""Every page escapes what users typed, whichever app stores it (issue 4, extended to the
apps added since).

The access matrix's world is built again with a short markup payload in every text field the
apps' builders fill (the same `marker` that proves another gu's records never show), then
every page each role may open is fetched: the payload must come back escaped, never as
markup. A new app that adds a `build()` to its access rules is covered the day it lands."""

from __future__ import annotations

import pytest

from maeul.accounts.models import Role
from tests.access import ROLES
from tests.factories import UserFactory
from tests.scenario import build_scope
from tests.test_access_matrix import APP_RULE_MODULES, RULES, path_for, request_as, url_patterns

pytestmark = pytest.mark.django_db

#: Short enough for every field the builders write a marker into (the other gu's marker is as
#: long), and markup if a page ever prints it raw.
PAYLOAD = "<xss/>"


@pytest.fixture
def hostile_world(
    official,
    nurse,
    gu_user,
    admin_user,
    volunteer,
    partner_user,
    council_member,
    partner_org,
    dong_a,
):
    own = build_scope(dong_a, official, volunteer=volunteer, partner=partner_org, marker=PAYLOAD)
    for module in APP_RULE_MODULES:
        if hasattr(module, "build"):
            module.build(own, dong=dong_a, actor=official, partner=partner_org, marker=PAYLOAD)
    users = {
        "official": official,
        "nurse": nurse,
        "gu_user": gu_user,
        "admin_user": admin_user,
        "volunteer": volunteer,
        "partner_user": partner_user,
        "council_member": council_member,
        "dong_head": UserFactory(username="donghead_a", role=Role.DONG_HEAD, home_area=dong_a),
    }
    return {"own": own, "users": users}


def test_every_page_a_role_opens_shows_typed_markup_escaped(client, hostile_world, api_token):
    api_headers = {role: api_token(user) for role, user in hostile_world["users"].items()}
    raw, shown = [], 0
    for name, route in url_patterns():
        rule = RULES[name]
        if rule.method != "GET":
            continue
        path = path_for(route, rule, hostile_world["own"])
        for role in ROLES:
            if role != "anonymous" and role not in rule.readers and not rule.public:
                continue
            response = request_as(client, role, hostile_world, path, "GET", api_headers)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                "text/html"
            ):
                continue
            body = response.content.decode(errors="replace")
            if PAYLOAD in body:
                raw.append((name, role))
            shown += "&lt;xss/&gt;" in body
    assert not raw, f"pages printing typed text as markup: {raw}"
    assert shown >= 20, shown  # the payload really reached the pages, escaped
