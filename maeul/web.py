"""The web edge every app's pages and API share: parsing ids and dates from a query string,
showing a service's refusal on a form, the hub-staff decorator, the API's error schema and the
middleware that turns a `DomainError` escaping a view into the page's error response.

It imports no app (the staff check asks the user object it is given), so it sits in the bottom
layer with `maeul.errors`; see docs/architecture.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema

from maeul.errors import DomainError, NotFound, PermissionDenied


def parse_id(value: str | None) -> int | None:
    """A positive database id from a query string, or None for anything else."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and number > 0 else None


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date (2026-11-23) from a query string, or None for anything else."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def add_domain_error(
    form: forms.Form, error: DomainError, *, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's refusal next to the field it names (mapped through `field_map` when the
    service and the form call it differently), or above the form when it names none."""
    field = error.field or ""
    if field_map:
        field = field_map.get(field, field)
    form.add_error(field if field in form.fields else None, str(error.message))


class DateInput(forms.DateInput):
    """The browser's own date picker (a phone shows its calendar)."""

    input_type = "date"


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Hub staff only. Anonymous users go to the login page; for anyone else signed in the page
    does not exist (404, as the access matrix says: a volunteer learns nothing from probing)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_hub_staff:  # type: ignore[union-attr]
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


class ErrorOut(Schema):
    """The API's one error body: a stable `code`, translated `detail`, and the `field` it is
    about when there is one."""

    code: str
    detail: str
    field: str | None = None


class TrustedProxyMiddleware:
    """Behind a reverse proxy (deploy/nginx-maeul.conf) every request reaches gunicorn from
    the proxy, so `REMOTE_ADDR` is the proxy's (or empty on a unix socket) and the audit
    trail, the lock-out and the rate limits would all see one address. With
    `MAEUL_PROXY_HOPS` = the number of proxies in front (1 for nginx alone), the client's
    address is taken from `X-Forwarded-For`, counting from the right: each proxy appends the
    address it saw, so entries a client wrote itself stay on the left and are never trusted.
    0 (the default) trusts no header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.hops = int(getattr(settings, "MAEUL_PROXY_HOPS", 0) or 0)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.hops:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            hops = [part.strip() for part in forwarded.split(",") if part.strip()]
            if len(hops) >= self.hops:
                request.META["REMOTE_ADDR"] = hops[-self.hops]
        return self.get_response(request)


class DomainErrorMiddleware:
    """A `DomainError` that escapes a page view becomes the page's error response: NotFound
    (missing, or out of the user's scope — the two are never told apart) is a 404,
    PermissionDenied a 403, any other refusal a 400 with its message. Views that can show the
    refusal on a form catch it themselves; the API has its own handler (maeul/api.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(str(exception.message)) from exception
        if isinstance(exception, DomainError):
            return HttpResponse(
                str(exception.message),
                status=exception.status,
                content_type="text/plain; charset=utf-8",
            )
        return None
