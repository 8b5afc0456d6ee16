from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from maeul.accounts.forms import LoginForm
from maeul.accounts.otp import totp_device_for, totp_enrolment_device, totp_verify
from maeul.accounts.permissions import safe_next
from maeul.errors import DomainError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the hub dashboard; volunteers and partners on their own pages."""
    from maeul.accounts.dashboard import dashboard_context

    user = request.user
    if user.is_volunteer or user.is_partner:
        return redirect("people:household_list")
    return render(request, "accounts/dashboard.html", dashboard_context(request))


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(
        request,
        "accounts/rate_limited.html",
        {
            "message": _(
                "Too many requests from your address. Please wait a few minutes and try again."
            )
        },
        status=429,
    )


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """Second factor: a code from the authenticator app; first time, enrol with the QR code."""
    import segno

    user = request.user
    if user.is_verified():
        return redirect("accounts:home")
    device = totp_device_for(user)
    error = None
    if request.method == "POST":
        try:
            totp_verify(user=user, token=request.POST.get("token", ""), request=request)
            return redirect(safe_next(request, request.GET.get("next"), "accounts:home"))
        except DomainError as exc:
            error = exc.message
    context = {"enrolling": device is None, "error": error}
    if device is None:
        enrolment = totp_enrolment_device(user)
        context["qr"] = segno.make(enrolment.config_url, micro=False).svg_data_uri(scale=4)
        context["secret"] = enrolment.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp.html", context)


def _audit_filters(request: HttpRequest) -> dict:
    import datetime as dt

    def parse_date(name: str):
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    household = request.GET.get("household", "").strip()
    return {
        "household_id": int(household) if household.isdigit() else None,
        "username": request.GET.get("user", "").strip()[:150],
        "start": parse_date("start"),
        "end": parse_date("end"),
        "purpose": request.GET.get("purpose", "").strip()[:32],
    }


@login_required
def audit_view(request: HttpRequest) -> HttpResponse:
    """Administrators' audit viewer: who read which record, when, from where, why."""
    from django.core.paginator import Paginator
    from django.http import Http404

    from maeul.accounts.selectors import audit_alerts, audit_search
    from maeul.errors import PermissionDenied

    try:
        records = audit_search(user=request.user, **_audit_filters(request))
    except PermissionDenied as exc:
        raise Http404 from exc
    if request.GET.get("format") == "csv":
        return _audit_csv(records)
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit.html",
        {
            "page": page,
            "filters": request.GET,
            "alerts": audit_alerts(user=request.user)[:50],
        },
    )


def _audit_csv(records) -> HttpResponse:
    import csv

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="maeul-audit.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["at", "user", "action", "household", "households_listed", "purpose", "ip", "path"]
    )
    for r in records.iterator(chunk_size=2000):
        writer.writerow(
            [
                r.at.isoformat(),
                r.username,
                r.action,
                r.household_id or "",
                " ".join(map(str, r.household_ids)),
                r.purpose,
                r.ip or "",
                r.path,
            ]
        )
    return response
