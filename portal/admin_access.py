"""Wagtail admin for those who may use it, and a clear refusal for everyone else signed in.

Wagtail sends a signed-in user without admin access to the sign-in page, whose allauth view
sends a signed-in user straight back to `next` (/admin/): the browser loops until it gives up.
Here such a user gets the 403 page, in the site's layout, before Wagtail sees the request;
someone signed out still goes to sign in.
"""

from django.core.exceptions import PermissionDenied

from portal.permissions import may_use_admin

ADMIN_PREFIX = "/admin/"
# Served by Wagtail to any signed-in user (icons, the JavaScript catalogue of its widgets).
OPEN_TO_EMPLOYEES = ("/admin/sprite/", "/admin/jsi18n/")


class AdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.startswith(ADMIN_PREFIX)
            and not request.path_info.startswith(OPEN_TO_EMPLOYEES)
            and request.user.is_authenticated
            and not may_use_admin(request.user)
            # Groups that are not roles may grant it too (a board's delegates publish there).
            and not request.user.has_perm("wagtailadmin.access_admin")
        ):
            raise PermissionDenied
        return self.get_response(request)
