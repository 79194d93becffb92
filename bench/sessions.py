"""Signed-in clients: one session per concurrent client, each for a different user.

The sessions are written straight into the session store, as `django.contrib.auth.login` would
write them, instead of posting the login form hundreds of times (each post hashes a password).
The bench sends the cookie itself, so the production-only `Secure` flag does not matter.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from portal.models import User
from portal.permissions import Role


def session_cookie_name(face: str) -> str:
    """The face's session cookie (portal/settings/base.py: one cookie name per face)."""
    return f"{face}_sessionid"


# The bench's staff roles (bench.pages.STAFF_ROLES) and the group each one's users hold. The
# demo data (seed_demo) has one user of each: E00008, sales administrator, who is also the
# head of the sales department, and E00007, the account manager of every bench retailer; all
# of a role's clients share that user's account, as colleagues' browsers would.
STAFF_GROUPS = {
    "sales-administrator": Role.SALES_ADMINISTRATOR,
    "account-manager": Role.ACCOUNT_MANAGER,
}


def users_for(role: str, count: int) -> list[User]:
    """Up to `count` active users who may use their face straight away (no issued password to
    change): for "employee" and "retailer", people who hold only the base role of their face;
    for a staff role, the employees in that role's group."""
    users = User.objects.filter(is_active=True, is_superuser=False, must_change_password=False)
    if role == "employee":
        users = users.filter(kind=User.Kind.EMPLOYEE, employee__isnull=False).exclude(
            groups__name__in=[value for value in Role.values if value != Role.EMPLOYEE]
        )
    elif role in STAFF_GROUPS:
        users = users.filter(
            kind=User.Kind.EMPLOYEE, employee__isnull=False, groups__name=STAFF_GROUPS[role]
        )
    elif role == "retailer":
        users = users.filter(kind=User.Kind.RETAILER, retailer_login__isnull=False)
    else:
        raise ValueError(f"No users for role {role!r}.")
    return list(users.order_by("-username")[:count])


def sessions_create(*, role: str, count: int) -> list[str]:
    """Session keys of `count` signed-in clients (users are reused if there are fewer)."""
    users = users_for(role, count)
    if not users:
        raise RuntimeError(f"No {role} account to sign the bench clients in with.")
    return [session_create(users[index % len(users)]) for index in range(count)]


def session_create(user: User) -> str:
    """The key of a new session signed in as `user`."""
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def sessions_delete(keys: list[str]) -> None:
    Session.objects.filter(session_key__in=keys).delete()
