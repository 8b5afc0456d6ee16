from django.urls import path

from maeul.people import registry_views, views

app_name = "people"
urlpatterns = [
    path("", views.household_list_view, name="household_list"),
    path("<int:household_id>/record/", registry_views.household_edit, name="household_edit"),
    path("<int:household_id>/members/add/", registry_views.member_add, name="member_add"),
    path("<int:household_id>/merge/", registry_views.household_merge, name="household_merge"),
    path("members/<int:resident_id>/", registry_views.member_edit, name="member_edit"),
    path("members/<int:resident_id>/move/", registry_views.member_move, name="member_move"),
    path("merges/<int:merge_id>/undo/", registry_views.merge_undo_view, name="merge_undo"),
]
