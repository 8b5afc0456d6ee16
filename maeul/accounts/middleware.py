from django.conf import settings
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
