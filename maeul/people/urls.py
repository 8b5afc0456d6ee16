from django.urls import path

from maeul.people import views

app_name = "people"
urlpatterns = [
    path("", views.household_list_view, name="household_list"),
]
