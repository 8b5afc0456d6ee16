from django.contrib.auth import views as auth_views
from django.urls import path

from maeul.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("audit/", views.audit_view, name="audit"),
    path("otp/", views.otp_view, name="otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
