from django.urls import path

from maeul.routing import views

app_name = "routing"
urlpatterns = [
    path("", views.plan_view, name="plan"),
    path("plan/", views.plan_run, name="plan_run"),
    path("<int:rounds_round_id>/", views.round_view, name="round"),
    path("stops/<int:rounds_stop_id>/skip/", views.stop_skip, name="stop_skip"),
    path("map/", views.area_map, name="area_map"),
]
