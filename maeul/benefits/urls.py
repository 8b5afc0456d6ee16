from django.urls import path

from maeul.benefits import views

app_name = "benefits"
urlpatterns = [
    path("finder/", views.finder, name="finder"),
    path("finder/contact/", views.finder_contact, name="finder_contact"),
    path("finder/thanks/", views.finder_thanks, name="finder_thanks"),
    path("sweep/", views.sweep, name="sweep"),
    path("sweep/status/", views.sweep_status, name="sweep_status"),
    path("local-rules/", views.local_rules, name="local_rules"),
    path("households/<int:household_id>/", views.household_section, name="household_section"),
    path("households/<int:household_id>/means/", views.household_means, name="household_means"),
    path(
        "households/<int:household_id>/means/<int:resident_id>/",
        views.means_edit,
        name="means_edit",
    ),
    path(
        "households/<int:household_id>/situation/",
        views.situation_edit,
        name="situation_edit",
    ),
    path("households/<int:household_id>/obligors/", views.obligor_add, name="obligor_add"),
    path(
        "households/<int:household_id>/obligors/<int:obligor_id>/remove/",
        views.obligor_remove,
        name="obligor_remove",
    ),
    path(
        "households/<int:household_id>/link/<str:programme>/",
        views.entitlement_link_view,
        name="entitlement_link",
    ),
]
