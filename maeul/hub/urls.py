from django.urls import path

from maeul.hub import views

app_name = "hub"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_view, name="audit"),
    path("households/<int:household_id>/", views.household_detail_view, name="household_detail"),
    path(
        "households/<int:household_id>/notes/", views.household_notes_view, name="household_notes"
    ),
]
