from django.urls import path

from maeul.hub import views

app_name = "hub"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_view, name="audit"),
]
