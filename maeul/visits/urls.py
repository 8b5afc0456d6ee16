from django.urls import path  # noqa: F401

from maeul.visits import views  # noqa: F401

app_name = "visits"
urlpatterns: list = []
