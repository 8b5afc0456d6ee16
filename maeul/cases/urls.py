from django.urls import path

from maeul.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("open/<int:household_id>/", views.case_open_view, name="case_open"),
    path("assess/<int:household_id>/", views.assessment_create, name="assessment_create"),
    path("linkages/new/<int:household_id>/", views.linkage_create, name="linkage_create"),
    path("linkages/<int:linkage_id>/status/", views.linkage_status, name="linkage_status"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:linkage_id>/", views.referral_detail, name="referral_detail"),
]
