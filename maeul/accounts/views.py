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


class LogoutView(auth_views.LogoutView):
    """Signing out also tells the browser to drop what it keeps for this site: the page cache
    and storage (the volunteer app's IndexedDB queue and service worker included), so a shared
    or lost phone keeps nothing of the session even where the app's own script cannot run."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


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
        return redirect("hub:home")
    device = totp_device_for(user)
    error = None
    if request.method == "POST":
        try:
            totp_verify(user=user, token=request.POST.get("token", ""), request=request)
            return redirect(safe_next(request, request.GET.get("next"), "hub:home"))
        except DomainError as exc:
            error = exc.message
    context = {"enrolling": device is None, "error": error}
    if device is None:
        enrolment = totp_enrolment_device(user)
        context["qr"] = segno.make(enrolment.config_url, micro=False).svg_data_uri(scale=4)
        context["secret"] = enrolment.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp.html", context)
