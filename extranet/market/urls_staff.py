"""Market information and market analysis on the intranet (under sales/)."""

from django.urls import path

from extranet.market import views_staff

urlpatterns = [
    path("market/", views_staff.staff_list, name="market"),
    path("market/new/", views_staff.staff_new, name="market_new"),
    path("market/restricted/", views_staff.staff_restricted, name="market_restricted"),
    path("market/<int:report_id>/", views_staff.staff_report, name="market_report"),
    path("market/<int:report_id>/review/", views_staff.staff_review, name="market_review"),
    path("market/<int:report_id>/info/", views_staff.staff_add_info, name="market_add_info"),
    path(
        "market/<int:report_id>/photos/<int:photo_id>/",
        views_staff.staff_photo,
        name="market_photo",
    ),
    path("analysis/", views_staff.analysis_index, name="analysis_index"),
    path("analysis/<slug:slug>/", views_staff.analysis, name="analysis"),
]
