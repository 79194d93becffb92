"""django-allauth integration: no sign-up, one face per kind of account, issued passwords.

An account of the other face (an employee on the extranet, a retailer on the intranet) does not
exist for the face's sign-in and password reset: a right password is answered like a wrong one
and a reset like one for an unknown address, so neither face tells whether an address or a
password belongs to an account of the other. Failed sign-ins are limited per account and
address (see README, "Security").
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.forms import ResetPasswordForm, UserTokenForm
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.db.models import Q
from django.shortcuts import resolve_url

from portal.permissions import may_use_face
from portal.services import user_set_own_password
from portal.tasks import email_send
from portal.user_cache import user_cached


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

    def get_password_change_redirect_url(self, request):
        """After a change without a `next`, home (allauth would show the change form again)."""
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def set_password(self, user, password) -> None:
        # Used by both password change and password reset: the user now has their own password.
        user_set_own_password(user=user, password=password)
        user.save(update_fields=["password", "must_change_password"])

    # Failed sign-ins: allauth's "login_failed" limits count per address ("ip") and per "key",
    # here the account together with the address, so that a colleague's mistyped passwords on
    # another machine do not lock the user out of their own. "login_failed_account" is the
    # ceiling per account from all addresses together, against guessing spread over many.

    def _login_account_key(self, **credentials) -> str:
        """The account a sign-in names (by login or email), or the name itself if none."""
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        user_id = (
            get_user_model()
            ._default_manager.filter(Q(username__iexact=login) | Q(email__iexact=login))
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        return f"user:{user_id}" if user_id is not None else f"login:{login}"

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        account = self._login_account_key(**credentials)
        return f"{account}@{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)
        ceiling = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_account",
            key=self._login_account_key(**credentials),
        )
        if not ceiling:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        # A successful sign-in gives back this attempt on every limit, the ceiling included.
        self._login_failed_rl_usage.usage.extend(ceiling.usage)


class FaceResetPasswordForm(ResetPasswordForm):
    """allauth's reset form, for the accounts of this face only: an address of the other face's
    account is answered exactly like an unknown one (the same page, no mail)."""

    def clean_email(self):
        email = super().clean_email()
        self.users = [user for user in self.users if may_use_face(user, settings.PORTAL_FACE)]
        return email


class FaceUserTokenForm(UserTokenForm):
    """The key of a reset link: one for the other face's account is an invalid link here."""

    def _get_user(self, uidb36):
        user = super()._get_user(uidb36)
        return user if user is not None and may_use_face(user, settings.PORTAL_FACE) else None


class PortalAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, reading the signed-in user of each request together with what every
    page shows of them: an employee's directory entry (with department and position) or a
    retailer login's store. `employee_of` and `retailer_of` find them already loaded."""

    # Reverse one-to-one relations: the user's `employee` (portal) or `retailer_login` (extranet).
    USER_RELATED = ("employee__department", "employee__position", "retailer_login__retailer")

    def get_user(self, user_id):
        user = user_cached(user_id, self._user_load)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _user_load(self, user_id):
        users = get_user_model()._default_manager.select_related(*self.USER_RELATED)
        return users.filter(pk=user_id).first()

    def _check_password(self, user, password):
        """A right password of the other face's account fails like a wrong one. The password is
        still checked (the same hashing time) and the account is not stashed as "inactive"."""
        if user is not None and not may_use_face(user, settings.PORTAL_FACE):
            self._did_check_password = True
            user.check_password(password)
            return None
        return super()._check_password(user, password)
