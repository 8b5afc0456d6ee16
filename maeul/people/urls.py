from django.urls import path

from maeul.people import views

app_name = "people"
urlpatterns = [
    path("", views.household_list_view, name="household_list"),
    path("<int:household_id>/", views.household_detail_view, name="household_detail"),
    path("<int:household_id>/notes/", views.household_notes_view, name="household_notes"),
]
