"""The documents app's pages: the register at the top, report circulation under `reports/`."""

from django.urls import path

from documents.circulation import views as circulation
from documents.register import views as register

app_name = "documents"

urlpatterns = [
    path("", register.register, name="index"),
    path("new/", register.document_new, name="new"),
    path("<int:pk>/", register.detail, name="detail"),
    path("<int:pk>/edit/", register.document_edit, name="edit"),
    path("<int:pk>/publish/", register.document_publish, name="publish"),
    path("<int:pk>/repeal/", register.document_repeal, name="repeal"),
    path("<int:pk>/files/", register.document_file_add, name="file_add"),
    path("<int:pk>/files/<int:file_pk>/", register.document_file, name="file"),
    path("<int:pk>/access/", register.document_access, name="access"),
    path("<int:pk>/access/revoke/", register.document_access_revoke, name="access_revoke"),
    path("<int:pk>/acknowledge/", register.document_acknowledge, name="acknowledge"),
    path("<int:pk>/acknowledgements/", register.document_acknowledgements, name="acknowledgements"),
    path(
        "<int:pk>/acknowledgements.xlsx",
        register.document_acknowledgements_export,
        name="acknowledgements_export",
    ),
    path("reports/", circulation.report_box, name="reports"),
    path("reports/new/", circulation.report_new, name="report_new"),
    path("reports/notifications/", circulation.report_notifications, name="report_notifications"),
    path("reports/<int:pk>/", circulation.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", circulation.report_edit, name="report_edit"),
    path(
        "reports/<int:pk>/<slug:action>/",
        circulation.report_transition,
        name="report_transition",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        circulation.report_attachment,
        name="report_attachment",
    ),
]
