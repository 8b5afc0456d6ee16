from django.urls import path

from maeul.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.run_page, name="run"),
    path("status/", views.run_status, name="run_status"),
]
