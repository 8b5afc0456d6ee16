from django.urls import path

from maeul.evaluation import views

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
    path("planning/", views.planning_page, name="planning"),
    path("whatif/", views.whatif_page, name="whatif"),
    path(
        "households/<int:household_id>/counterfactual/",
        views.counterfactual_fragment,
        name="counterfactual",
    ),
]
