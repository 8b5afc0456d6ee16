from django.urls import path  # noqa: F401

from maeul.indicators import views  # noqa: F401

app_name = "indicators"
urlpatterns: list = []
