from django.urls import path

from maeul.funds import views_directory

app_name = "funds"
urlpatterns: list = [
    path("directory/", views_directory.directory, name="directory"),
    path("directory/new/", views_directory.service_new, name="service_new"),
    path("directory/<int:service_id>/", views_directory.service_detail, name="service_detail"),
    path("directory/<int:service_id>/edit/", views_directory.service_edit, name="service_edit"),
    path("resources/", views_directory.resource_list, name="resource_list"),
    path("partners/", views_directory.partner_list, name="partner_list"),
]
