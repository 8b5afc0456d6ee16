from django.urls import path

from maeul.funds import views, views_directory

app_name = "funds"
urlpatterns: list = [
    path("", views.funds, name="funds"),
    path("<int:fund_id>/", views.fund_detail, name="fund_detail"),
    path("receipts/<int:donation_id>.pdf", views.donation_receipt, name="donation_receipt"),
    path("sponsorships/", views.sponsorships, name="sponsorships"),
    path(
        "sponsorships/<int:sponsorship_id>/payment/",
        views.sponsorship_payment,
        name="sponsorship_payment",
    ),
    path("matching/", views.batch_matching, name="batch_matching"),
    path(
        "matching/campaign/<int:campaign_id>/",
        views.campaign_matching,
        name="campaign_matching",
    ),
    path("matching/<int:household_id>/", views.household_matches, name="household_matches"),
    path("directory/", views_directory.directory, name="directory"),
    path("directory/new/", views_directory.service_new, name="service_new"),
    path("directory/<int:service_id>/", views_directory.service_detail, name="service_detail"),
    path("directory/<int:service_id>/edit/", views_directory.service_edit, name="service_edit"),
    path(
        "directory/<int:service_id>/roster/",
        views_directory.service_roster,
        name="service_roster",
    ),
    path(
        "directory/<int:service_id>/roster/remove/",
        views_directory.roster_shift_remove,
        name="roster_shift_remove",
    ),
    path("resources/", views_directory.resource_list, name="resource_list"),
    path("partners/", views_directory.partner_list, name="partner_list"),
]
