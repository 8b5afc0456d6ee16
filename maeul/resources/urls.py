from django.urls import path  # noqa: F401

from maeul.resources import views  # noqa: F401

app_name = "resources"
urlpatterns: list = []
