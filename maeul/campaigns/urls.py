from django.urls import path

from maeul.campaigns import roster_views, views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create_view, name="campaign_create"),
    path("mine/", views.my_targets_view, name="my_targets"),
    path("recipients/", roster_views.recipients_import_view, name="recipients_import"),
    path("roster/", roster_views.roster_view, name="roster"),
    path("roster/<int:safety_net_member_id>/", roster_views.member_edit_view, name="member_edit"),
    path("roster/hand-over/", roster_views.hand_over_view, name="hand_over"),
    path("care/", roster_views.care_households_view, name="care_households"),
    path(
        "care/<int:household_id>/check-in/", roster_views.care_check_in_view, name="care_check_in"
    ),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/targets/build/", views.targets_build_view, name="targets_build"),
    path("<int:campaign_id>/targets/upload/", views.targets_upload_view, name="targets_upload"),
    path(
        "<int:campaign_id>/safety-net/", views.campaign_safety_net_view, name="campaign_safety_net"
    ),
    path("<int:campaign_id>/targets/member/", views.targets_member_view, name="targets_member"),
    path("<int:campaign_id>/targets/assign/", views.targets_assign_view, name="targets_assign"),
    path("targets/<int:target_id>/", views.target_record_view, name="target_record"),
    path("targets/<int:target_id>/plan/", views.target_plan_view, name="target_plan"),
    path("targets/<int:target_id>/link/", views.target_link_view, name="target_link"),
]
