import time
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect

ALLOWED_PREFIXES = ("/login/", "/logout/", "/otp/", "/static/", "/i18n/", "/healthz", "/api/")


def needs_second_factor(user) -> bool:
    """Staff must pass TOTP before anything else when two-factor login is required."""
    return (
        settings.MAEUL_REQUIRE_2FA
        and user.is_authenticated
        and user.is_hub_staff
        and not user.is_verified()
    )


class RequireTwoFactorMiddleware:
    """Sends signed-in staff who have not passed the second factor to the TOTP page.
    (The API checks the code when it issues a token.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not request.path.startswith(ALLOWED_PREFIXES):
            return redirect("accounts:otp")
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL byte has no business in a query string or a form field, and PostgreSQL cannot
    store or compare one: refuse it with a clear 400 instead of failing deep in a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        has_nul = b"\x00" in unquote_to_bytes(query)
        if (
            not has_nul
            and request.method == "POST"
            and request.content_type
            in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )
        ):
            has_nul = any("\x00" in v for values in request.POST.lists() for v in values[1])
        if has_nul:
            message = "The request contains a NUL byte."
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class SessionRefreshMiddleware:
    """The 30-minute idle timeout without a database write on every request.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) moved its expiry on
    each page, at the cost of an UPDATE and a commit per request, most of them moving the
    expiry by a few seconds. Here a signed-in session is saved (and its cookie re-sent) only
    when its last refresh is ``MAEUL_SESSION_REFRESH_SECONDS`` old or more, so a session ends
    between ``SESSION_COOKIE_AGE - MAEUL_SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE``
    after its last request. Placed after SessionMiddleware: its answer is handled first."""

    KEY = "_maeul_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.MAEUL_SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response
