from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from maeul.accounts.forms import LoginForm


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
