from django.urls import path

from maeul.councils import views
from maeul.councils.views import records

app_name = "councils"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:council_id>/", views.council_detail, name="council_detail"),
    path("<int:council_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<int:council_id>/members/new/", views.member_new, name="member_new"),
    path("<int:council_id>/members/<int:member_id>/", views.member_edit, name="member_edit"),
    path("<int:council_id>/members/<int:member_id>/end/", views.member_end, name="member_end"),
    path(
        "<int:council_id>/decisions/<int:decision_id>/",
        views.decision_done,
        name="decision_done",
    ),
    path("<int:council_id>/reviews/", views.case_review, name="case_review"),
    path("<int:council_id>/projects/new/", records.project_new, name="project_new"),
    path("<int:council_id>/projects/<int:project_id>/", records.project_edit, name="project_edit"),
    path("<int:council_id>/budget/", records.budget, name="budget"),
    path("<int:council_id>/budget/<int:line_id>/", records.budget_edit, name="budget_edit"),
    path("<int:council_id>/education/new/", records.education_new, name="education_new"),
    path(
        "<int:council_id>/education/<int:education_id>/",
        records.education_edit,
        name="education_edit",
    ),
    path("<int:gu_council_id>/plans/new/", records.plan_new, name="plan_new"),
    path("<int:gu_council_id>/plans/<int:plan_id>/", records.plan_edit, name="plan_edit"),
    path("<int:council_id>/groups/", records.groups, name="groups"),
    path("<int:council_id>/groups/<int:group_id>/", records.group_edit, name="group_edit"),
    path("<int:council_id>/groups/seats/", records.guest, name="guest"),
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
