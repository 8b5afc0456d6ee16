from django.urls import path

from maeul.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.series_page, name="series"),
    path("effects/", views.effects_page, name="effects"),
]
