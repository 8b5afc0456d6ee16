from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from maeul.api import api


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("maeul.hub.urls")),
    path("", include("maeul.accounts.urls")),
    path("households/", include("maeul.people.urls")),
    path("leads/", include("maeul.discovery.urls")),
    path("visits/", include("maeul.visits.urls")),
    path("cases/", include("maeul.cases.urls")),
    path("indicators/", include("maeul.indicators.urls")),
    path("benefits/", include("maeul.benefits.urls")),
    path("campaigns/", include("maeul.campaigns.urls")),
    path("screening/", include("maeul.screening.urls")),
    path("rounds/", include("maeul.routing.urls")),
    path("funds/", include("maeul.funds.urls")),
    path("councils/", include("maeul.councils.urls")),
    path("evaluation/", include("maeul.evaluation.urls")),
    path("offline/", include("maeul.offline.urls")),
]
