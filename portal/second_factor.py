"""A second factor (allauth's MFA: an authenticator app's TOTP code, with recovery codes) for
the people whose mistakes or stolen passwords would cost most: identity auditors (they learn
who writes under a pseudonym) and system administrators (they grant roles).

Before such a person reveals an author or changes anyone's roles, they must have an
authenticator and this session must have passed it: at sign-in (allauth asks for the code
whenever the account has an authenticator), by re-entering a code, or by setting the
authenticator up in this session. Otherwise they are sent to do so, with a message.
"""

import functools
import logging

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.permissions import Role, has_role, roles_of

logger = logging.getLogger(__name__)

# Wagtail admin's pages that change who holds which role.
ROLE_ADMIN_NAMESPACES = {"wagtailusers_users", "wagtailusers_groups"}
USER_MODEL_BULK_ACTION = ("portal", "user")


def needs_second_factor(user) -> bool:
    """Identity auditors, system administrators and superusers."""
    return user.is_authenticated and (
        Role.IDENTITY_AUDITOR in roles_of(user) or has_role(user, Role.SYSTEM_ADMINISTRATOR)
    )


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_second_factor(request) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def second_factor_redirect(request):
    """None when the request may go on; otherwise the redirect to set up or enter a code."""
    user = request.user
    if not needs_second_factor(user):
        return None
    query = "?" + urlencode({"next": request.get_full_path()})
    if not has_authenticator_app(user):
        messages.warning(
            request,
            _(
                "Your role requires two-factor authentication. Set up an authenticator app "
                "to go on."
            ),
        )
        return redirect(reverse("mfa_activate_totp") + query)
    if not session_passed_second_factor(request):
        messages.info(request, _("Enter the code from your authenticator app to go on."))
        return redirect(reverse("mfa_reauthenticate") + query)
    return None


def second_factor_required(view):
    """A view that reveals or changes something only a second factor may unlock."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return second_factor_redirect(request) or view(request, *args, **kwargs)

    return wrapped


class SecondFactorMiddleware:
    """Guards Wagtail admin's user and group pages (and bulk actions on users), which are not
    the portal's own views, with `second_factor_redirect`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        guarded = bool(ROLE_ADMIN_NAMESPACES & set(match.namespaces)) or (
            match.url_name == "wagtail_bulk_action"
            and (view_kwargs.get("app_label"), view_kwargs.get("model_name"))
            == USER_MODEL_BULK_ACTION
        )
        return second_factor_redirect(request) if guarded else None


class PortalMFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        # The QR code is a convenience: the secret shown beside it works in every
        # authenticator app. Without the qrcode package the page still works.
        try:
            return super().build_totp_svg(url)
        except ImportError:
            logger.warning("qrcode is not installed: the TOTP set-up page shows no QR code")
            return ""
