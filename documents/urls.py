from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.register, name="index"),
    path("new/", views.document_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/publish/", views.document_publish, name="publish"),
    path("<int:pk>/repeal/", views.document_repeal, name="repeal"),
    path("<int:pk>/files/", views.document_file_add, name="file_add"),
    path("<int:pk>/files/<int:file_pk>/", views.document_file, name="file"),
    path("<int:pk>/access/", views.document_access, name="access"),
    path("<int:pk>/access/revoke/", views.document_access_revoke, name="access_revoke"),
    path("<int:pk>/acknowledge/", views.document_acknowledge, name="acknowledge"),
    path("<int:pk>/acknowledgements/", views.document_acknowledgements, name="acknowledgements"),
    path(
        "<int:pk>/acknowledgements.xlsx",
        views.document_acknowledgements_export,
        name="acknowledgements_export",
    ),
    path("reports/", views.report_box, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/notifications/", views.report_notifications, name="report_notifications"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/<slug:action>/", views.report_transition, name="report_transition"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        views.report_attachment,
        name="report_attachment",
    ),
]
