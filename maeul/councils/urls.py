from django.urls import path

from maeul.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:council_id>/", views.council_detail, name="council_detail"),
    path("<int:council_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<int:council_id>/members/new/", views.member_new, name="member_new"),
    path(
        "<int:council_id>/decisions/<int:decision_id>/",
        views.decision_done,
        name="decision_done",
    ),
    path("<int:council_id>/reviews/", views.case_review, name="case_review"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:round_id>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:round_id>/links/", views.survey_links, name="survey_links"),
    path("surveys/<int:round_id>/export.xlsx", views.survey_xlsx, name="survey_xlsx"),
    path("surveys/<int:round_id>/export.pdf", views.survey_pdf, name="survey_pdf"),
    path("surveys/<int:round_id>/import/", views.survey_import, name="survey_import"),
    path("zones/", views.zones, name="zones"),
    path("zones/<int:zone_id>/", views.zone_detail, name="zone_detail"),
    path("s/<str:token>/", views.survey_answer, name="survey_answer"),
]
