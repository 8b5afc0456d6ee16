from django.urls import path

from maeul.offline import views

app_name = "offline"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("care/", views.care, name="care"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("api/session/", views.session, name="session"),
    path("api/reports/", views.report_send, name="report_send"),
    path("api/care/<int:household_id>/visits/", views.care_visit_send, name="care_visit_send"),
]
