from django.urls import path

from maeul.discovery import views

app_name = "discovery"
urlpatterns = [
    path("", views.lead_list, name="lead_list"),
    path("new/", views.lead_create, name="lead_create"),
    path("upload/", views.lead_upload, name="lead_upload"),
    path("report/", views.volunteer_report, name="volunteer_report"),
    path("report/thanks/", views.report_thanks, name="report_thanks"),
    path("request/", views.resident_request, name="resident_request"),
    path("request/thanks/", views.request_thanks, name="request_thanks"),
    path("<int:lead_id>/", views.lead_detail, name="lead_detail"),
    path("<int:lead_id>/assign/", views.lead_assign_view, name="lead_assign"),
    path("<int:lead_id>/close/", views.lead_close_view, name="lead_close"),
]
