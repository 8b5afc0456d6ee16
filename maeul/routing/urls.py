from django.urls import path

from maeul.routing import views, views_staff, views_week

app_name = "routing"
urlpatterns = [
    path("", views.plan_view, name="plan"),
    path("plan/", views.plan_run, name="plan_run"),
    path("<int:rounds_round_id>/", views.round_view, name="round"),
    path("stops/<int:rounds_stop_id>/skip/", views.stop_skip, name="stop_skip"),
    path("map/", views.area_map, name="area_map"),
    path("week/", views_week.week_view, name="week"),
    path("week/plan/", views_week.week_run, name="week_run"),
    path("plan/confirm/", views.plan_confirm, name="plan_confirm"),
    path("<int:rounds_round_id>/confirm/", views.round_confirm, name="round_confirm"),
    path("collisions/merge/", views.collision_merge, name="collision_merge"),
    path("availability/", views_staff.availability, name="availability"),
    path("regular/", views_staff.regular_list, name="regular"),
    path("regular/<int:rounds_regular_id>/stop/", views_staff.regular_stop, name="regular_stop"),
]
