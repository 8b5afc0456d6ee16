from django.urls import path

from maeul.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("otp/", views.otp_view, name="otp"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
