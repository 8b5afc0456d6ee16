"""The JSON API: one NinjaAPI, bearer-token auth, one router per app. OpenAPI at
/api/openapi.json, interactive docs at /api/docs."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.security import HttpBearer

from maeul.accounts.api import router as audit_router
from maeul.accounts.services import api_token_issue, api_token_user
from maeul.benefits.api import router as benefits_router
from maeul.campaigns.api import router as campaigns_router
from maeul.cases.api import router as cases_router
from maeul.discovery.api import router as discovery_router
from maeul.errors import DomainError
from maeul.people.api import router as people_router
from maeul.visits.api import router as visits_router
from maeul.web import ErrorOut


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="maeul API",
    version="1",
    description="Welfare hub records, scoped to what the signed-in user may see.",
    auth=BearerToken(),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    body = {"code": exc.code, "detail": str(exc.message)}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    return api.create_response(
        request, {"code": "invalid", "detail": "Invalid request", "errors": exc.errors}, status=422
    )


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str


@api.post("/auth/token", auth=None, response={200: TokenOut, 400: ErrorOut}, tags=["auth"])
def auth_token(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password (and, for staff where two-factor login is on, the
    current TOTP code as `otp`) for a bearer token valid 12 hours."""
    token = api_token_issue(
        username=payload.username, password=payload.password, otp=payload.otp, request=request
    )
    return {"token": token}


api.add_router("/households/", people_router, tags=["households"])
api.add_router("/leads/", discovery_router, tags=["leads"])
api.add_router("/visits/", visits_router, tags=["visits"])
api.add_router("/audit/", audit_router, tags=["audit"])
api.add_router("/benefits/", benefits_router, tags=["benefits"])
api.add_router("/campaigns/", campaigns_router, tags=["campaigns"])
api.add_router("/", cases_router, tags=["assessments, cases, linkages"])
