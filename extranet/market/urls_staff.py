"""Market information, market analysis and the feedback extras on the intranet (under sales/)."""

from django.urls import path

from extranet.market import views

urlpatterns = [
    path("market/", views.staff_list, name="market"),
    path("market/new/", views.staff_new, name="market_new"),
    path("market/restricted/", views.staff_restricted, name="market_restricted"),
    path("market/<int:report_id>/", views.staff_report, name="market_report"),
    path("market/<int:report_id>/review/", views.staff_review, name="market_review"),
    path("market/<int:report_id>/info/", views.staff_add_info, name="market_add_info"),
    path(
        "market/<int:report_id>/photos/<int:photo_id>/",
        views.staff_photo,
        name="market_photo",
    ),
    path("analysis/", views.analysis_index, name="analysis_index"),
    path("analysis/<slug:slug>/", views.analysis, name="analysis"),
    path("feedback/export/", views.feedback_export, name="feedback_export"),
    path("feedback/effective/", views.feedback_effective, name="feedback_effective"),
]
