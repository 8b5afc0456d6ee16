from django.contrib.auth import views as auth_views
from django.urls import path

from maeul.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("otp/", views.otp_view, name="otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
