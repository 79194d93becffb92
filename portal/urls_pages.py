"""Wagtail's page-serving URLs without its own front-end login view: each face signs people in
through allauth only, where the face check lives."""

from django.urls import path, re_path
from wagtail import views
from wagtail.urls import serve_pattern

from portal.pages import serve_site_root

urlpatterns = [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # The home page in one query (Wagtail's own route asks twice); Wagtail still serves it.
    path("", serve_site_root, name="site_root"),
    re_path(serve_pattern, views.serve, name="wagtail_serve"),
]
