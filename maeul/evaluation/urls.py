from django.urls import path

from maeul.evaluation import planning_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.series_page, name="series"),
    path("effects/", views.effects_page, name="effects"),
    path("reports/", views.reports_page, name="reports"),
    path("reports/status/", views.report_status, name="report_status"),
    path(
        "reports/<int:run_id>/report.xlsx",
        views.report_download,
        {"kind": "xlsx"},
        name="report_xlsx",
    ),
    path(
        "reports/<int:run_id>/report.pdf", views.report_download, {"kind": "pdf"}, name="report_pdf"
    ),
    path("sido/", views.sido_page, name="sido"),
    path("planning/", planning_views.planning_page, name="planning"),
    path("planning/sphere-links/", planning_views.sphere_link_add, name="sphere_link_add"),
    path(
        "planning/sphere-links/<int:link_id>/end/",
        planning_views.sphere_link_end,
        name="sphere_link_end",
    ),
    path("staffing/", planning_views.staffing_page, name="staffing"),
    path("staffing/standard/", planning_views.standard_set, name="standard_set"),
    path("staffing/postings/", planning_views.posting_add, name="posting_add"),
    path(
        "staffing/postings/<int:posting_id>/end/",
        planning_views.posting_end,
        name="posting_end",
    ),
    path("whatif/", views.whatif_page, name="whatif"),
    path(
        "households/<int:household_id>/counterfactual/",
        views.counterfactual_fragment,
        name="counterfactual",
    ),
]
