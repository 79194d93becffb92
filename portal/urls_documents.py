"""Wagtail's document URLs, served by a view that checks who may read the document
(portal/file_access.py) instead of Wagtail's own."""

from django.urls import path, re_path
from wagtail.documents.views import serve

from portal.file_access import document_file

urlpatterns = [
    re_path(r"^(\d+)/(.*)$", document_file, name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
