"""Request set-up for the two faces, and guards on every signed-in request."""

from urllib.parse import urlencode

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import LazyObject
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


class LocaleMiddleware:
    """Django's LocaleMiddleware for URL configurations without `i18n_patterns`, as both faces'
    are: the language comes from the cookie or Accept-Language, and the path is not looked at.

    Django's asks `get_language_from_path` on the way in and again on the way out (a regular
    expression and a language lookup) even when no pattern is prefixed; a configuration that
    uses `i18n_patterns` is handed to Django's own, unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.with_prefixes = DjangoLocaleMiddleware(get_response)

    def __call__(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_prefix_patterns_used(urlconf)[0]:
            return self.with_prefixes(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


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
        signed_in = user.is_authenticated
        if isinstance(user, LazyObject):
            # Read now anyway: the rest of the request (views, templates, the header) reads the
            # user itself, not through the lazy wrapper's two calls per attribute.
            user = request.user = user._wrapped
        if signed_in:
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
