"""Property-based fuzzing of the JSON API from its own OpenAPI document (schemathesis): every
operation, generated valid and invalid inputs, authenticated as the gu team (the widest scope),
and no answer may be a server error. Bounded to a few hundred cases so that it runs in
`make test`; the number of cases run is printed at the end (`-s` shows it)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from maeul.wsgi import application

#: Examples per operation; with the API's ~20 operations this is a few hundred cases.
MAX_EXAMPLES = 12

CASES: dict[str, int] = {}
SERVER_ERRORS: list[str] = []


#: The API's OpenAPI document as served at /api/openapi.json (no database access needed).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_test_connection():
    """Requests go straight to Django's WSGI handler (not Django's test client), whose
    request_started/finished signals would close the test transaction's connection on
    PostgreSQL; the test client disconnects them the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(
    keep_test_connection, db, gu_user, household_a, household_b, official, partner_user
) -> dict[str, str]:
    """A gu-team token, and some data of two dongs for the generated requests to hit."""
    from maeul.accounts.services import api_token_issue
    from tests.factories import PASSWORD

    token = api_token_issue(username=gu_user.username, password=PASSWORD, otp=None, request=None)
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
    database=None,
    derandomize=True,  # the same cases every run: CI is reproducible
)
def test_api_never_answers_with_a_server_error(case, bearer):
    response = case.call(headers=bearer)
    CASES[case.operation.label] = CASES.get(case.operation.label, 0) + 1
    if response.status_code >= 500:
        SERVER_ERRORS.append(f"{case.operation.label} -> {response.status_code}")
    case.validate_response(response, checks=[not_a_server_error], headers=bearer)


def test_fuzzing_ran_a_few_hundred_cases():
    """Runs after the fuzzing above (file order); skipped when the fuzz tests were deselected."""
    if not CASES:
        pytest.skip("the fuzz tests did not run in this session")
    total = sum(CASES.values())
    errors = len(SERVER_ERRORS)
    print(f"\nschemathesis: {total} cases over {len(CASES)} operations, {errors} server errors")
    assert len(CASES) >= 10 and total >= 100


def test_household_list_survives_nul_bytes_and_huge_pages(client, api_token, gu_user, household_a):
    """Regressions found by the fuzzing on PostgreSQL (NUL in text, OFFSET past bigint)."""
    headers = api_token(gu_user)
    for query in ("?q=%00me&dong=%00", "?page=33559098027742986947493419658646650880", "?page=-4"):
        response = client.get(f"/api/households/{query}", **headers)
        assert response.status_code in (200, 400, 422), (query, response.status_code)
