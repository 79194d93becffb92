"""The access matrix: every URL pattern of both faces × every role → the expected outcome.

The rows live in tests/integration/access_rows/, one module per part of the portal. A URL
pattern that appears in a URL configuration without a row there fails
`test_every_url_pattern_has_a_row`. Wagtail admin's own patterns (under `admin/`) are covered
by one rule, checked on every admin URL that takes no arguments, plus explicit rows for the
admin pages people use.

Outcomes: OK (200), LOGIN (302 to the sign-in page: anonymous, or a session of the other face
that is signed out on the spot), AWAY (302 elsewhere), DENIED (403), MISSING (404).
"""

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver

from tests.access import (
    AWAY,
    EMPLOYEE_ROLES,
    LOGIN,
    MISSING,
    OK,
    admin_only,
    intranet_row,
    superuser_only,
)
from tests.conftest import ROLE_KEYS, make_role_user, set_face
from tests.integration.access_rows import MATRIX

# Wagtail admin pages people use, with every role.
ADMIN_ROWS = {
    "/admin/": admin_only(),
    # Knowledge editors hold page permissions on both knowledge bases (issue 6).
    "/admin/pages/": {**superuser_only(), "knowledge_editor": OK},
    "/admin/users/": superuser_only(),
    "/admin/groups/": superuser_only(),
    "/admin/sites/": superuser_only(),
    "/admin/account/": admin_only(),
    # Icons and the admin's JavaScript catalogue: harmless static resources for any employee.
    "/admin/sprite/": intranet_row(),
    "/admin/jsi18n/": intranet_row(),
}

# Under admin/, apart from ADMIN_ROWS: the outcome by role for every admin URL without
# arguments. Admin roles see some admin pages and are turned away from others.
ADMIN_RULE = {
    "anonymous": {LOGIN},
    "retailer": {LOGIN},
    "employee": {LOGIN, MISSING},
    "superuser": {OK, AWAY, MISSING, "405"},
}


def url_patterns(face):
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return list(dict.fromkeys(walk(get_resolver(settings.PORTAL_URLCONFS[face]).url_patterns)))


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        return LOGIN if location.split("?")[0].endswith("/accounts/login/") else AWAY
    return str(response.status_code)


def request_as(client, role, url):
    user = make_role_user(role)
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_every_url_pattern_has_a_row(face):
    missing = [
        route
        for route in url_patterns(face)
        if route not in MATRIX[face] and not (face == "intranet" and route.startswith("admin/"))
    ]
    assert missing == [], f"URL patterns of the {face} without a row in the access matrix"


def test_the_extranet_has_no_intranet_url():
    intranet_only = set(url_patterns("intranet")) - set(url_patterns("extranet"))
    assert not any(route.startswith("admin/") for route in url_patterns("extranet"))
    assert {"directory/", "forum/", "documents/", "files/^(\\d+)/(.*)$"} <= intranet_only


MATRIX_CASES = [
    pytest.param(face, route, role, id=f"{face}:{url if isinstance(url, str) else route}:{role}")
    for face, rows in MATRIX.items()
    for route, (url, _outcomes) in rows.items()
    for role in ROLE_KEYS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("face", "route", "role"), MATRIX_CASES)
def test_access_matrix(client, settings, face, route, role):
    set_face(settings, face)
    url, outcomes = MATRIX[face][route]
    if callable(url):
        url = url()
    response = request_as(client, role, url)
    assert outcome(response) == outcomes[role]
    if role == "retailer" and face == "intranet" or role in EMPLOYEE_ROLES and face == "extranet":
        # The wrong face's session is gone, not merely redirected.
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(ADMIN_ROWS))
@pytest.mark.parametrize("role", ROLE_KEYS)
def test_admin_pages_by_role(client, intranet, url, role):
    assert outcome(request_as(client, role, url)) == ADMIN_ROWS[url][role]


def admin_urls_without_arguments():
    urls = []
    for route in url_patterns("intranet"):
        if not route.startswith("admin/") or "<" in route or "(" in route or ".*" in route:
            continue
        url = "/" + route.replace("^", "").replace("$", "")
        if url not in ADMIN_ROWS and route not in MATRIX["intranet"]:
            urls.append(url)
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ADMIN_RULE))
def test_every_admin_url_follows_the_admin_rule(client, intranet, role):
    user = make_role_user(role)
    unexpected = {}
    for url in admin_urls_without_arguments():
        client.logout()
        if user is not None:
            client.force_login(user)
        result = outcome(client.get(url))
        if result not in ADMIN_RULE[role]:
            unexpected[url] = result
    assert unexpected == {}
