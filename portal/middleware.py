"""Request set-up for the two faces, and guards on every signed-in request."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.permissions import may_use_face
from portal.sites import site_for_face


class FaceMiddleware:
    """Marks the request with the face this process serves and points Wagtail at its site.

    The face is fixed per process by its WSGI entry point (`portal.wsgi_intranet`,
    `portal.wsgi_extranet`); nothing the client sends can change it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        face = settings.PORTAL_FACE
        request.face = face
        request.urlconf = settings.PORTAL_URLCONFS[face]
        site = site_for_face(face)
        if site is not None:
            # Wagtail caches the site it finds under this name; the face decides it here
            # instead of the Host header, so a page tree is only ever served on its own face.
            request._wagtail_site = site
        return self.get_response(request)


class AccountGuardMiddleware:
    """Signs out an account that reaches the wrong face (for example with a cookie set on the
    other port of the same host), and sends a user with an issued password to change it."""

    allowed_while_changing = (
        "account_change_password",
        "account_logout",
        "set_language",
        "favicon",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if not may_use_face(user, request.face):
                logout(request)
                messages.error(request, _("This account cannot be used on this site."))
                return redirect(reverse("account_login"))
            if user.must_change_password and not self._is_allowed_while_changing(request):
                messages.info(
                    request,
                    _("Your password was issued by an administrator. Choose your own to go on."),
                )
                change = reverse("account_change_password")
                if request.method == "GET":
                    # Back to the page asked for once the password is changed.
                    change += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
                return redirect(change)
        return self.get_response(request)

    def _is_allowed_while_changing(self, request):
        if request.path.startswith(settings.STATIC_URL):
            return True
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info, urlconf=request.urlconf)
            except Resolver404:
                return True
        return match.url_name in self.allowed_while_changing
