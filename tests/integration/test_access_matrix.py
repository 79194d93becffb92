"""The access matrix: every URL pattern of both faces × every role → the expected outcome.

The rows live in tests/integration/access_rows/, one module per part of the portal. A URL
pattern that appears in a URL configuration without a row there fails
`test_every_url_pattern_has_a_row`. Wagtail admin's own patterns (under `admin/`) are covered
by one rule, checked on every admin URL that takes no arguments, plus explicit rows for the
admin pages people use.

One test per route: it makes the route's objects once and every role asks for the URL, each
role's request rolled back before the next; a failure lists every role that got a different
answer, with the URL, the expected and the actual outcome.

Outcomes: OK (200), LOGIN (302 to the sign-in page: anonymous, or a session of the other face
that is signed out on the spot), AWAY (302 elsewhere), DENIED (403), MISSING (404).
"""

import sys

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.access import (
    AWAY,
    DENIED,
    EMPLOYEE_ROLES,
    LOGIN,
    MISSING,
    OK,
    admin_only,
    intranet_row,
    superuser_only,
)
from tests.conftest import ROLE_KEYS, make_role_user, set_face, sign_in
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
    # Refused before Wagtail sees it: its sign-in page would send them back here, for ever.
    "employee": {DENIED},
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
        result = LOGIN if location.split("?")[0].endswith("/accounts/login/") else AWAY
    else:
        result = str(response.status_code)
    return result + csp_problem(response)


def csp_problem(response):
    """Every HTML answer carries the Content-Security-Policy (portal/csp.py): the strict one
    outside Wagtail's admin, which alone may run inline script."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    policy = response.get("Content-Security-Policy")
    if policy is None:
        return " without a Content-Security-Policy"
    admin = response.request["PATH_INFO"].startswith("/admin/")
    if not admin and ("'unsafe-inline'" in policy or "script-src 'self'" not in policy):
        return f" with a weak Content-Security-Policy: {policy}"
    return ""


@pytest.fixture(scope="module")
def users(django_db_setup, django_db_blocker):
    """One user per role for the whole module, made in a transaction left open until the module
    ends: each test's own transaction nests in it as a savepoint, so every test starts from the
    same users and the users are built once."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            made = {key: make_role_user(key) for key in ROLE_KEYS}
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def answers(face, url, users):
    """Every role's outcome at url. Each role's request is rolled back before the next, so no
    role's answer depends on what another role's request changed."""
    results = {}
    for role in ROLE_KEYS:
        client = Client()
        with transaction.atomic():
            if users[role] is not None:
                sign_in(client, users[role])
            results[role] = outcome(client.get(url))
            wrong_face = role == "retailer" if face == "intranet" else role in EMPLOYEE_ROLES
            if wrong_face and "_auth_user_id" in client.session:
                # The wrong face's session must be gone, not merely redirected.
                results[role] += " with the session still signed in"
            transaction.set_rollback(True)
    return results


def assert_answers(face, url, expected, users):
    got = answers(face, url, users)
    wrong = [
        f"{role} at {url}: expected {expected[role]}, got {got[role]}"
        for role in ROLE_KEYS
        if got[role] != expected[role]
    ]
    assert not wrong, "\n".join(wrong)


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
    pytest.param(face, route, id=f"{face}:{url if isinstance(url, str) else route}")
    for face, rows in MATRIX.items()
    for route, (url, _outcomes) in rows.items()
]


@pytest.mark.django_db
@pytest.mark.parametrize(("face", "route"), MATRIX_CASES)
def test_access_matrix(settings, users, face, route):
    """One test per route: the route's objects are made once and every role asks for them."""
    set_face(settings, face)
    url, outcomes = MATRIX[face][route]
    if callable(url):
        url = url()
    assert_answers(face, url, outcomes, users)


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(ADMIN_ROWS))
def test_admin_pages_by_role(intranet, users, url):
    assert_answers("intranet", url, ADMIN_ROWS[url], users)


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
def test_every_admin_url_follows_the_admin_rule(client, intranet, users, role):
    user = users[role]
    unexpected = {}
    for url in admin_urls_without_arguments():
        client.logout()
        if user is not None:
            sign_in(client, user)
        result = outcome(client.get(url))
        if result not in ADMIN_RULE[role]:
            unexpected[url] = result
    assert unexpected == {}
