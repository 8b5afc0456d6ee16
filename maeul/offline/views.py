"""The volunteer's phone app: three pages (home with the outbox, report, care visits) that the
service worker keeps for use without signal, the manifest and the worker itself, and the JSON
endpoints the phone's outbox sends to. Pages and endpoints are for safety-net volunteers and
partner contacts; everyone else is refused (403)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from maeul.accounts.audit import audit_read
from maeul.campaigns.roster import care_households_of
from maeul.discovery.selectors import gu_dongs_for
from maeul.errors import DomainError, NotFound
from maeul.offline.forms import CareVisitForm, ReportForm
from maeul.offline.services import Submitted, care_visit_submit, report_submit
from maeul.people.selectors import household_get

#: Static files the worker keeps for the app to open without signal.
ASSETS = [
    "css/maeul.css",
    "vendor/htmx.min.js",
    "offline/app.css",
    "offline/outbox.js",
    "offline/app.js",
    "offline/logout.js",
    "offline/register.js",
    "offline/icon-192.png",
    "offline/icon-512.png",
]
#: The app's pages (URL names), kept by the worker once opened with signal.
PAGES = ["offline:home", "offline:report", "offline:care"]
MAX_BODY = 16 * 1024
#: How long a report or visit not sent yet is kept on the phone at most (seconds). After that
#: the app and the worker delete it, sent or not: three days cover a weekend without signal
#: and a volunteer whose session ended, without keeping a household's troubles on a phone that
#: is not used (docs/offline.md, "What is kept on the phone").
OUTBOX_TTL = 72 * 3600


def _may_use(user) -> bool:
    return user.is_authenticated and (user.is_volunteer or user.is_partner)


def app_page(view: Callable) -> Callable:
    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _may_use(request.user):
            raise DjangoPermissionDenied(
                _("The phone app is for safety-net volunteers and partner contacts.")
            )
        response = view(request, *args, **kwargs)
        # The browser's own HTTP cache never keeps these pages; the worker's cache does, and
        # logging out empties it.
        response["Cache-Control"] = "no-store, private"
        return response

    return wrapped


def _error(code: str, detail, status: int, field: str | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "detail": str(detail), "field": field}, status=status)


def json_endpoint(view: Callable) -> Callable:
    """A session that ended answers 401 in JSON (not the login page), so the phone keeps the
    item and tells the volunteer to log in again; a refusal by a service is JSON too."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _error(
                "session_expired",
                _("Your session has ended. Log in again; the waiting items stay on the phone."),
                401,
            )
        if not _may_use(request.user):
            return _error(
                "forbidden",
                _("The phone app is for safety-net volunteers and partner contacts."),
                403,
            )
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return _error(error.code, error.message, error.status, error.field)

    return wrapped


def _strings() -> dict[str, str]:
    """Texts the app's script shows, translated here (Korean first)."""
    return {
        "waiting": _("Waiting to be sent: %(count)s"),
        "nothing_waiting": _("Nothing is waiting to be sent."),
        "saved": _("Saved on this phone. It will be sent when the network returns."),
        "sending": _("Sending…"),
        "sent": _("Sent to the welfare hub."),
        "online": _("Online"),
        "offline": _("Offline — items are kept on this phone"),
        "expired": _(
            "Your session has ended. Log in again to send the waiting items; they stay on "
            "this phone."
        ),
        "login": _("Log in"),
        "failed": _("Not sent"),
        "retry_later": _("The server did not answer; it will be tried again."),
        "delete": _("Delete"),
        "confirm_delete": _("Delete this item from the phone? It will not be sent."),
        "report": _("Report"),
        "care_visit": _("Care visit"),
        "written": _("written"),
        # "deleted unsent on <date>": when the item leaves the phone if it was never sent
        "expires": _("deleted unsent on"),
        # The same words as the logout button's warning in base.html (logout.js shows it).
        "logout_confirm": _(
            "Some items have not been sent yet. Logging out deletes them from this phone. "
            "Log out anyway?"
        ),
    }


def _context(request: HttpRequest, **extra) -> dict:
    return {
        "strings": _strings(),
        "csrf": get_token(request),
        "warm": [reverse(name) for name in PAGES],
        "ttl": OUTBOX_TTL,
        **extra,
    }


@app_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "offline/home.html", _context(request))


@app_page
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(
        dongs=gu_dongs_for(request.user),
        initial={"dong": request.user.home_area_id} if request.user.home_area_id else {},
    )
    return render(request, "offline/report.html", _context(request, form=form))


@app_page
def care(request: HttpRequest) -> HttpResponse:
    households = list(care_households_of(user=request.user))
    audit_read(request=request, household_ids=[h.pk for h in households], action="list")
    return render(request, "offline/care.html", _context(request, households=households))


@functools.cache
def _assets_version() -> str:
    digest = hashlib.sha256()
    for path in ASSETS:
        found = finders.find(path)
        digest.update(path.encode())
        if found:
            with open(found, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker, served from /offline/ so that its scope is the app's pages alone."""
    response = render(
        request,
        "offline/sw.js",
        {
            # A JavaScript file, not HTML: the lists go in as JSON.
            "version": json.dumps(_assets_version()),
            "assets": json.dumps([static(path) for path in ASSETS]),
            "pages": json.dumps([reverse(name) for name in PAGES]),
            "session_url": json.dumps(reverse("offline:session")),
            "outbox_url": json.dumps(static("offline/outbox.js")),
            "ttl": json.dumps(OUTBOX_TTL),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("offline:home")
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    home_url = reverse("offline:home")
    data = {
        "name": _("maeul volunteer app"),
        "short_name": _("maeul"),
        "description": _("Report a household in need and record care visits, even without signal."),
        "lang": request.LANGUAGE_CODE,
        "start_url": home_url,
        "scope": home_url,
        "id": home_url,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f9",
        "theme_color": "#1f6f5c",
        "icons": [
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": static("offline/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache
@require_GET
@json_endpoint
def session(request: HttpRequest) -> HttpResponse:
    """Is the session still alive, and a fresh CSRF token (after a new login the token the
    cached page holds is stale)."""
    return JsonResponse({"user": request.user.pk, "csrf_token": get_token(request)})


def _body(request: HttpRequest) -> dict:
    # (A form-encoded body has been read by the middleware already; only JSON is taken.)
    if request.content_type != "application/json":
        raise DomainError(
            "invalid_json", gettext_lazy("The request must be JSON (application/json).")
        )
    if len(request.body) > MAX_BODY:
        raise DomainError("too_large", gettext_lazy("The item is too large."))
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise DomainError("invalid_json", gettext_lazy("The request is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise DomainError("invalid_json", gettext_lazy("The request must be a JSON object."))
    return data


def _invalid(form) -> JsonResponse:
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    detail = f"{label}: {errors[0]}" if label else errors[0]
    return JsonResponse(
        {
            "code": "invalid",
            "detail": detail,
            "field": None if field == "__all__" else field,
            "errors": {name: list(messages) for name, messages in form.errors.items()},
        },
        status=400,
    )


def _created(result: Submitted, name: str) -> JsonResponse:
    return JsonResponse(
        {name: result.result_id, "status": "created" if result.created else "duplicate"},
        status=201 if result.created else 200,
    )


@never_cache
@require_POST
@json_endpoint
def report_send(request: HttpRequest) -> HttpResponse:
    form = ReportForm(_body(request), dongs=gu_dongs_for(request.user))
    if not form.is_valid():
        return _invalid(form)
    data = form.cleaned_data
    result = report_submit(
        actor=request.user,
        key=data["key"],
        dong=data["dong"],
        address=data["address"],
        subject_name=data["subject_name"],
        description=data["description"],
        urgency=data["urgency"],
        written_at=data["written_at"],
    )
    return _created(result, "lead_id")


@never_cache
@require_POST
@json_endpoint
def care_visit_send(request: HttpRequest, household_id: int) -> HttpResponse:
    # The household first: out of scope is 404 whatever the body says.
    household = household_get(user=request.user, household_id=household_id)
    if not household.care_volunteers.filter(pk=request.user.pk).exists():
        raise NotFound()
    form = CareVisitForm(_body(request))
    if not form.is_valid():
        return _invalid(form)
    data = form.cleaned_data
    result = care_visit_submit(
        actor=request.user,
        key=data["key"],
        household=household,
        notes=data["notes"],
        visited_at=data["written_at"],
    )
    return _created(result, "visit_id")
