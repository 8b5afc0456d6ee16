"""The access matrix, generated from the URL configuration (issue 4).

Every page and API endpoint is visited as every role, with objects of the role's own scope
and objects of another gu. The rules below say, for each URL name, which object its path
takes and which roles read it. A URL without a rule fails the suite, so a new endpoint cannot
land without one. Checked for every URL × role:

- no server error;
- nothing of the other gu ever appears in a response (its households carry a marker);
- an object of the other gu answers 404 (or the role is refused the page outright);
- the roles that read an endpoint can open their own-scope object;
- anonymous users get the login page (pages) or 401 (API), except on public URLs.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from maeul.accounts.models import Role
from maeul.areas.models import Area
from tests.access import LIST, MARKER, PUBLIC, ROLES, STAFF, STAFF_PAGE, Rule, rule
from tests.factories import AreaFactory, HubFactory, PartnerFactory, UserFactory
from tests.scenario import build_scope

pytestmark = pytest.mark.django_db

CORE_RULES: dict[str, Rule] = {
    "healthz": PUBLIC,
    "set_language": rule(public=True, method="POST"),
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": PUBLIC,
    "api:auth_token": rule(public=True, method="POST"),
    "api:list_households": LIST,
    "api:get_household": rule("household", STAFF | {"volunteer", "partner_user"}),
    "api:list_leads": LIST,
    "api:create_lead": rule(method="POST"),
    "api:get_lead": rule("lead", STAFF | {"volunteer"}),
    "api:assign_lead": rule("lead", method="POST"),
    "api:list_visits": LIST,
    "api:plan_visit": rule(method="POST"),
    "api:overlaps": rule(readers=STAFF, params="household={household}&planned_on=2026-11-23"),
    "api:get_visit": rule("visit", STAFF),
    "api:record_visit": rule("visit", method="POST"),
    "api:cancel_visit": rule("visit", method="POST"),
    "api:list_audit": rule(readers={"admin_user"}),
    "api:evaluate_endpoint": rule(method="POST"),
    "api:household_evaluation": rule("household", STAFF),
    "api:list_assessments": LIST,
    "api:create_assessment": rule(method="POST"),
    "api:get_assessment": rule("assessment", STAFF),
    "api:list_cases": LIST,
    "api:create_case": rule(method="POST"),
    "api:get_case": rule("case", STAFF),
    "api:list_linkages": LIST,
    "api:create_linkage": rule(method="POST"),
    "api:get_linkage": rule("linkage", STAFF | {"partner_user"}),
    "api:update_linkage_status": rule("linkage", method="POST"),
    "hub:home": LIST,
    "accounts:login": PUBLIC,
    "hub:audit": rule(readers={"admin_user"}),
    "accounts:otp": LIST,
    "accounts:logout": rule(public=True, method="POST"),
    "people:household_list": LIST,
    "hub:household_detail": rule("household", STAFF | {"volunteer", "partner_user"}),
    "hub:household_notes": rule("household", method="POST"),
    "discovery:lead_list": STAFF_PAGE,
    "discovery:lead_create": STAFF_PAGE,
    "discovery:lead_upload": STAFF_PAGE,
    "discovery:volunteer_report": rule(readers={"volunteer", "partner_user"}),
    "discovery:report_thanks": rule(readers={"volunteer", "partner_user"}),
    "discovery:resident_request": PUBLIC,
    "discovery:request_thanks": PUBLIC,
    "discovery:lead_detail": rule("lead", STAFF),
    "discovery:lead_assign": rule("lead", method="POST"),
    "discovery:lead_close": rule("lead", method="POST"),
    "visits:visit_list": STAFF_PAGE,
    "visits:visit_plan": rule(readers=STAFF, params="household={household}"),
    "visits:visit_overlap": rule(
        readers=STAFF, params="household={household}&planned_on=2026-11-23"
    ),
    "visits:visit_record": rule("visit", STAFF),
    "visits:visit_cancel": rule("visit", method="POST"),
    "cases:case_list": STAFF_PAGE,
    "cases:case_detail": rule("case", STAFF),
    "cases:case_open": rule("household", STAFF),
    "cases:assessment_create": rule("household", STAFF),
    "cases:linkage_create": rule("household", STAFF),
    "cases:linkage_status": rule("linkage", method="POST"),
    "cases:referral_list": rule(readers={"partner_user"}),
    "indicators:dashboard": STAFF_PAGE,
    "indicators:export": STAFF_PAGE,
    "benefits:finder": PUBLIC,
    "benefits:finder_contact": rule(public=True, method="POST"),
    "benefits:finder_thanks": PUBLIC,
    "benefits:sweep": rule(readers={"official", "gu_user", "admin_user", "nurse"}),
    "benefits:sweep_status": STAFF_PAGE,
    "benefits:local_rules": STAFF_PAGE,
    "benefits:household_section": rule("household", STAFF),
    "benefits:means_edit": rule("resident", STAFF),
    "benefits:situation_edit": rule("household", STAFF, method="POST"),
    "benefits:obligor_add": rule("household", method="POST"),
    "benefits:obligor_remove": rule("obligor", method="POST"),
    "benefits:entitlement_link": rule("programme", method="POST"),
}


def _app_rule_modules() -> list:
    """Each app's `tests/access_rules.py`, where an app keeps the rules of its own URLs."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("maeul."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.access_rules"))
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.access_rules"):
                raise
    return modules


APP_RULE_MODULES = _app_rule_modules()
RULES: dict[str, Rule] = dict(CORE_RULES)
for _module in APP_RULE_MODULES:
    _clash = RULES.keys() & getattr(_module, "RULES", {}).keys()
    assert not _clash, f"{_module.__name__} redefines {sorted(_clash)}"
    RULES.update(getattr(_module, "RULES", {}))

# A route parameter means one kind of object across the project: two apps giving one name two
# kinds would fill one app's URLs with the other's ids (as `member_id` once did: council
# member and safety-net member), a check that passes or fails by the ids' luck.
_PARAM_KINDS: dict[str, tuple[str, str]] = {}
for _module in APP_RULE_MODULES:
    for _param, _kind in getattr(_module, "PARAMS", {}).items():
        _seen = _PARAM_KINDS.setdefault(_param, (_kind, _module.__name__))
        assert _seen[0] == _kind, (
            f"route parameter {_param!r} is {_seen[0]!r} in {_seen[1]} "
            f"but {_kind!r} in {_module.__name__}: give one of them another name"
        )


def url_patterns() -> list[tuple[str, str]]:
    """(name, route) of every URL the project serves, outside Django's admin."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)

    return [(n, r) for n, r in walk(get_resolver().url_patterns) if not r.startswith("admin/")]


def test_every_url_has_an_access_rule():
    names = {name for name, _route in url_patterns()}
    missing = sorted(names - RULES.keys())
    assert not missing, (
        "URLs without an access rule (tests/test_access_matrix.py or the app's "
        f"tests/access_rules.py): {missing}"
    )
    stale = sorted(RULES.keys() - names)
    assert not stale, f"rules for URLs that no longer exist: {stale}"


@pytest.fixture
def world(
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
    sido2 = AreaFactory(code="2600000001", name="다른시", level=Area.Level.SIDO)
    gu2 = AreaFactory(code="2635000000", name="해운대구", level=Area.Level.SIGUNGU, parent=sido2)
    dong_c = AreaFactory(code="2635051000", name="우동", parent=gu2)
    HubFactory(dong=dong_c)
    dong_head = UserFactory(username="donghead_a", role=Role.DONG_HEAD, home_area=dong_a)
    other_official = UserFactory(
        username="other_gu_official", role=Role.WELFARE_OFFICIAL, home_area=dong_c
    )
    other_partner = PartnerFactory(area=dong_c, name="다른 협력기관")
    own = build_scope(dong_a, official, volunteer=volunteer, partner=partner_org)
    other = build_scope(dong_c, other_official, partner=other_partner, marker=MARKER)
    for module in APP_RULE_MODULES:
        if hasattr(module, "build"):
            module.build(own, dong=dong_a, actor=official, partner=partner_org, marker="")
            module.build(
                other, dong=dong_c, actor=other_official, partner=other_partner, marker=MARKER
            )
    users = {
        "official": official,
        "nurse": nurse,
        "gu_user": gu_user,
        "admin_user": admin_user,
        "volunteer": volunteer,
        "partner_user": partner_user,
        "council_member": council_member,
        "dong_head": dong_head,
    }
    return {"own": own, "other": other, "users": users}


def path_for(route: str, rule: Rule, objects: dict) -> str:
    """Fill the route's parameters with the objects of one scope."""
    import re

    values = {
        "household_id": objects["household"],
        "lead_id": objects["lead"],
        "visit_id": objects["visit"],
        "assessment_id": objects["assessment"],
        "case_id": objects["case"],
        "linkage_id": objects["linkage"],
        "obligor_id": objects["obligor"],
        "resident_id": objects["resident"],
        "programme": "basic_pension",
    }
    for module in APP_RULE_MODULES:
        for param, kind in getattr(module, "PARAMS", {}).items():
            values[param] = objects[kind]
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    if rule.params:
        path += "?" + rule.params.format(**objects)
    return path


def request_as(client, role: str, world: dict, path: str, method: str, api_headers: dict):
    client.logout()
    headers = {}
    if role != "anonymous":
        user = world["users"][role]
        if path.startswith("/api/"):
            headers = api_headers[role]
        else:
            client.force_login(user)
    if method == "POST" and path.startswith("/api/"):
        return client.post(path, {}, content_type="application/json", **headers)
    if method == "POST":
        return client.post(path, {}, **headers)
    return client.get(path, **headers)


@pytest.fixture
def api_headers(world, api_token):
    return {role: api_token(user) for role, user in world["users"].items()}


DENIED = {302, 401, 403, 404, 405}


@pytest.mark.parametrize("name,route", url_patterns(), ids=[n for n, _ in url_patterns()])
def test_url_respects_scope_for_every_role(client, world, api_headers, name, route):
    rule = RULES.get(name)
    if rule is None:
        pytest.fail(f"no access rule for {name}")
    for role in ROLES:
        own = path_for(route, rule, world["own"])
        response = request_as(client, role, world, own, rule.method, api_headers)
        body = response.content.decode(errors="replace")
        assert response.status_code < 500, (name, role, "own", response.status_code)
        assert MARKER not in body, (name, role, "another gu's data shown")
        if role == "anonymous" and not rule.public:
            assert response.status_code in (302, 401, 404, 405), (name, role, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], (name, role)
        if role in rule.readers:
            assert response.status_code not in (401, 403, 404), (
                name,
                role,
                "own scope refused",
                response.status_code,
            )
        own_status = response.status_code

        if rule.obj is None or role == "anonymous":
            continue
        other = path_for(route, rule, world["other"])
        response = request_as(client, role, world, other, rule.method, api_headers)
        assert response.status_code < 500, (name, role, "other", response.status_code)
        assert MARKER not in response.content.decode(errors="replace"), (
            name,
            role,
            "another gu's data shown",
        )
        refused_outright = own_status in (403, 405) and response.status_code == own_status
        allowed = {404} | ({422} if name.startswith("api:") and rule.method == "POST" else set())
        assert response.status_code in allowed or refused_outright, (
            name,
            role,
            "another gu's object must be 404",
            response.status_code,
        )
