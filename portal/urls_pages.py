"""Wagtail's page-serving URLs without its own front-end login view: each face signs people in
through allauth only, where the face check lives."""

from django.urls import path, re_path
from wagtail import views
from wagtail.urls import serve_pattern

urlpatterns = [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    re_path(serve_pattern, views.serve, name="wagtail_serve"),
]
