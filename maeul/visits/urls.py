from django.urls import path

from maeul.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list, name="visit_list"),
    path("plan/", views.visit_plan_view, name="visit_plan"),
    path("plan/overlap/", views.visit_overlap, name="visit_overlap"),
    path("<int:visit_id>/record/", views.visit_record_view, name="visit_record"),
    path("<int:visit_id>/cancel/", views.visit_cancel_view, name="visit_cancel"),
]
