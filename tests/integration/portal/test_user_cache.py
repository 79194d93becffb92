"""The signed-in user cached between requests (portal/user_cache.py): read once, then from the
cache, and forgotten whenever what it holds changes."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from extranet.crm.services import retailer_login_deactivate
from portal.accounts import PortalAuthenticationBackend
from portal.permissions import Role, roles_of
from tests.factories.people import EmployeeFactory, RetailerLoginFactory

pytestmark = pytest.mark.django_db


def _load(user_id):
    """The user as a request's authentication reads it, and how many queries that took."""
    with CaptureQueriesContext(connection) as queries:
        user = PortalAuthenticationBackend().get_user(user_id)
        roles = roles_of(user) if user is not None else frozenset()
    return user, roles, len(queries)


def test_the_second_read_of_a_user_and_their_roles_takes_no_query():
    employee = EmployeeFactory()
    first, _roles, first_queries = _load(employee.user_id)
    second, _roles, second_queries = _load(employee.user_id)
    assert first_queries >= 2  # the user with their employee, and their roles
    assert second_queries == 0
    assert second.employee.department.name == employee.department.name


def test_a_deactivated_user_is_signed_out_at_the_next_request():
    employee = EmployeeFactory()
    _load(employee.user_id)
    employee.user.is_active = False
    employee.user.save()
    assert _load(employee.user_id)[0] is None


def test_a_changed_password_is_seen_at_the_next_request():
    employee = EmployeeFactory()
    before = _load(employee.user_id)[0].get_session_auth_hash()
    employee.user.set_password("another-password-2026")
    employee.user.save()
    assert _load(employee.user_id)[0].get_session_auth_hash() != before


@pytest.mark.parametrize("side", ["user", "group"])
def test_a_role_granted_or_revoked_is_seen_at_the_next_request(side):
    employee = EmployeeFactory()
    group, _created = Group.objects.get_or_create(name=Role.KNOWLEDGE_EDITOR)
    assert Role.KNOWLEDGE_EDITOR not in _load(employee.user_id)[1]
    if side == "user":
        employee.user.groups.add(group)
    else:
        group.user_set.add(employee.user)
    assert Role.KNOWLEDGE_EDITOR in _load(employee.user_id)[1]
    group.user_set.clear()
    assert Role.KNOWLEDGE_EDITOR not in _load(employee.user_id)[1]


def test_a_renamed_department_is_shown_at_the_next_request():
    employee = EmployeeFactory()
    _load(employee.user_id)
    employee.department.name = "新名称科"
    employee.department.save()
    assert _load(employee.user_id)[0].employee.department.name == "新名称科"


def test_a_moved_employee_is_shown_in_the_new_department_at_the_next_request():
    employee = EmployeeFactory()
    other = EmployeeFactory().department
    _load(employee.user_id)
    employee.department = other
    employee.save()
    assert _load(employee.user_id)[0].employee.department_id == other.pk


def test_a_deactivated_retailer_login_is_signed_out_at_the_next_request():
    login = RetailerLoginFactory()
    assert _load(login.user_id)[0] is not None
    assert retailer_login_deactivate(login=login, actor=None)
    assert _load(login.user_id)[0] is None


def test_a_renamed_store_is_shown_at_the_next_request():
    login = RetailerLoginFactory()
    _load(login.user_id)
    login.retailer.store_name = "新店名"
    login.retailer.save()
    assert _load(login.user_id)[0].retailer_login.retailer.store_name == "新店名"


def test_the_cache_can_be_turned_off(settings):
    settings.USER_CACHE_SECONDS = 0
    employee = EmployeeFactory()
    _load(employee.user_id)
    assert _load(employee.user_id)[2] >= 2


def test_importing_the_url_configurations_does_not_import_pypinyin():
    """pypinyin's dictionaries (some 55 MB per worker) load only where a name is converted."""
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver;"
        "[get_resolver(u).url_patterns for u in ('portal.urls_intranet', 'portal.urls_extranet')];"
        "import portal.wsgi_intranet;"
        "print('pypinyin' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_name_is_still_converted_to_pinyin():
    from portal.names import pinyin_initials

    assert pinyin_initials("张伟") == "zw"


def test_the_request_carries_the_user_itself_once_read(client, intranet, employee):
    """The account guard reads the user on every request and puts the object itself on the
    request, so that views and templates do not go through the lazy wrapper."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import LazyObject

    anonymous = client.get("/accounts/login/").wsgi_request.user
    assert isinstance(anonymous, AnonymousUser) and not isinstance(anonymous, LazyObject)
    client.force_login(employee)
    response = client.get("/forum/")
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert not isinstance(user, LazyObject)
    assert user.pk == employee.pk and user.is_authenticated
    assert employee.employee.name in response.content.decode()
