"""Shared fixtures: the two faces, one user per role, a query-count helper."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from portal.permissions import Role
from portal.sites import forget_sites
from tests.factories.people import EmployeeFactory, RetailerLoginFactory, UserFactory

# The roles of the access matrix, in the order the matrix lists them.
ROLE_KEYS = [
    "anonymous",
    "retailer",
    "employee",
    "department_head",
    "document_manager",
    "knowledge_editor",
    "forum_moderator",
    "identity_auditor",
    "account_manager",
    "sales_administrator",
    "superuser",
]


def set_face(settings, face):
    """Serve requests as the given face's process would (settings fixture of pytest-django)."""
    settings.PORTAL_FACE = face
    settings.ROOT_URLCONF = django_settings.PORTAL_URLCONFS[face]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL semantics (row locks, concurrency): they run when
    DATABASE_URL points at PostgreSQL, as in CI's second run, and are skipped otherwise."""
    if django_settings.DATABASES["default"]["ENGINE"] == "portal.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_site_cache():
    forget_sites()
    yield
    forget_sites()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: values cached under a generation by an earlier
    test (whose rows its rollback removed) must not answer for this test's database."""
    cache.clear()
    yield


@pytest.fixture
def intranet(settings):
    set_face(settings, "intranet")
    return settings


@pytest.fixture
def extranet(settings):
    set_face(settings, "extranet")
    return settings


def make_role_user(key):
    """A user holding exactly one role (plus the base employee or retailer role)."""
    if key == "anonymous":
        return None
    if key == "retailer":
        return RetailerLoginFactory().user
    if key == "superuser":
        employee = EmployeeFactory()
        employee.user.is_superuser = True
        employee.user.is_staff = True
        employee.user.save()
        return employee.user
    roles = [] if key == "employee" else [Role(key)]
    employee = EmployeeFactory(user=UserFactory(roles=roles))
    return employee.user


def pass_second_factor(client, user):
    """Give `user` an authenticator app and mark the client's session as having entered its
    code, as signing in with it does (`force_login` skips allauth's steps)."""
    import time

    from allauth.account.internal.flows import login as allauth_login
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    session = client.session
    session[allauth_login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[allauth_login.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "type": "totp", "at": time.time()}
    ]
    session.save()


def sign_in(client, user):
    """`force_login`, plus the second factor for the roles that need one."""
    from portal.second_factor import needs_second_factor

    client.force_login(user)
    if needs_second_factor(user):
        pass_second_factor(client, user)


@pytest.fixture
def role_users(db):
    """One user per role of the access matrix; "anonymous" maps to None."""
    return {key: make_role_user(key) for key in ROLE_KEYS}


@pytest.fixture
def employee(db):
    return make_role_user("employee")


@pytest.fixture
def retailer_user(db):
    return make_role_user("retailer")
