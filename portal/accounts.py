"""django-allauth integration: no sign-up, one face per kind of account, issued passwords."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.forms import LoginForm
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.permissions import may_use_face
from portal.services import user_set_own_password
from portal.tasks import email_send


def user_display(user):
    """How allauth names a user in its messages: the person's or store's name, not the login."""
    return user.display_name


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are issued by the computer center (employees) or the sales company (retailers).
        return False

    def send_mail(self, template_prefix, email, context):
        """Render in the request (its language and host), send from the task worker."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        transaction.on_commit(
            lambda: email_send.enqueue(
                subject=message.subject,
                body=message.body,
                to=list(message.to),
                from_email=message.from_email,
                html=html,
                headers=message.extra_headers or None,
            )
        )

    def set_password(self, user, password) -> None:
        # Used by both password change and password reset: the user now has their own password.
        user_set_own_password(user=user, password=password)
        user.save(update_fields=["password", "must_change_password"])


class FaceLoginForm(LoginForm):
    """allauth's login form, refusing accounts that belong to the other face."""

    def clean(self):
        cleaned_data = super().clean()
        user = getattr(self, "user", None)
        face = getattr(self.request, "face", settings.PORTAL_FACE)
        if user is not None and not may_use_face(user, face):
            self.user = None
            if face == "extranet":
                message = _(
                    "This is a factory staff account. Staff sign in on the intranet at %(url)s."
                ) % {"url": settings.INTRANET_BASE_URL}
            else:
                message = _(
                    "This is a retailer account. Retailers sign in on the ordering site at %(url)s."
                ) % {"url": settings.EXTRANET_BASE_URL}
            raise forms.ValidationError(message, code="wrong_face")
        return cleaned_data


class PortalAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, reading the signed-in user of each request together with what every
    page shows of them: an employee's directory entry (with department and position) or a
    retailer login's store. `employee_of` and `retailer_of` find them already loaded."""

    # Reverse one-to-one relations: the user's `employee` (portal) or `retailer_login` (extranet).
    USER_RELATED = ("employee__department", "employee__position", "retailer_login__retailer")

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*self.USER_RELATED)
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
