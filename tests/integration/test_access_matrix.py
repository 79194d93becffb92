"""The access matrix: every URL pattern of both faces × every role → the expected outcome.

A URL pattern that appears in a URL configuration without a row here fails
`test_every_url_pattern_has_a_row`. Wagtail admin's own patterns (under `admin/`) are covered
by one rule, checked on every admin URL that takes no arguments, plus explicit rows for the
admin pages people use.

Outcomes: OK (200), LOGIN (302 to the sign-in page: anonymous, or a session of the other face
that is signed out on the spot), AWAY (302 elsewhere), DENIED (403), MISSING (404).
"""

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver

from tests.conftest import ROLE_KEYS, make_role_user, set_face

OK, LOGIN, AWAY, DENIED, MISSING = "200", "login", "302", "403", "404"

EMPLOYEE_ROLES = [key for key in ROLE_KEYS if key not in ("anonymous", "retailer")]
ADMIN_ROLES = [
    "department_head",
    "document_manager",
    "knowledge_editor",
    "sales_administrator",
    "superuser",
]


def row(anonymous, retailer, employees, **overrides):
    outcomes = {"anonymous": anonymous, "retailer": retailer}
    outcomes.update(dict.fromkeys(EMPLOYEE_ROLES, employees))
    outcomes.update(overrides)
    return outcomes


def intranet_row(anonymous=LOGIN, employees=OK, **overrides):
    """On the intranet a retailer's session is always signed out and sent to sign in."""
    return row(anonymous, LOGIN, employees, **overrides)


def extranet_row(anonymous=LOGIN, retailer=OK, **overrides):
    """On the extranet an employee's session is always signed out and sent to sign in."""
    return row(anonymous, retailer, LOGIN, **overrides)


def admin_only(**overrides):
    outcomes = intranet_row(employees=LOGIN, **overrides)
    outcomes.update({key: OK for key in ADMIN_ROLES if key not in overrides})
    return outcomes


def superuser_only(others_with_admin=AWAY):
    outcomes = admin_only()
    outcomes.update({key: others_with_admin for key in ADMIN_ROLES if key != "superuser"})
    return outcomes


# route (as the URL configuration spells it) → (a URL to request, outcomes by role)
MATRIX = {
    "intranet": {
        "healthz": ("/healthz", intranet_row(anonymous=OK)),
        "accounts/login/": ("/accounts/login/", intranet_row(anonymous=OK, employees=AWAY)),
        "accounts/logout/": ("/accounts/logout/", intranet_row()),
        "accounts/inactive/": ("/accounts/inactive/", intranet_row(anonymous=OK)),
        "accounts/reauthenticate/": ("/accounts/reauthenticate/", intranet_row()),
        "accounts/password/change/": ("/accounts/password/change/", intranet_row()),
        "accounts/password/reset/": ("/accounts/password/reset/", intranet_row(anonymous=OK)),
        "accounts/password/reset/done/": (
            "/accounts/password/reset/done/",
            intranet_row(anonymous=OK),
        ),
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
            "/accounts/password/reset/key/1-not-a-key/",
            intranet_row(anonymous=OK),
        ),
        "accounts/password/reset/key/done/": (
            "/accounts/password/reset/key/done/",
            intranet_row(anonymous=OK),
        ),
        # GET only redirects back; the switch itself is a POST (tested in test_faces).
        "i18n/setlang/": ("/i18n/setlang/", intranet_row(anonymous=AWAY, employees=AWAY)),
        "admin/login/": ("/admin/login/", intranet_row(anonymous=LOGIN, employees=LOGIN)),
        "admin/failwhale/": ("/admin/failwhale/", intranet_row(employees=MISSING)),
        "files/^(\\d+)/(.*)$": ("/files/999999/missing.pdf", intranet_row(employees=MISSING)),
        "files/authenticate_with_password/<int:restriction_id>/": (
            "/files/authenticate_with_password/999999/",
            intranet_row(employees=MISSING),
        ),
        "search/": ("/search/", intranet_row()),
        "directory/": ("/directory/", intranet_row()),
        "bulletins/": ("/bulletins/", intranet_row()),
        "forum/": ("/forum/", intranet_row()),
        "knowledge/": ("/knowledge/", intranet_row()),
        "documents/": ("/documents/", intranet_row()),
        "sales/": ("/sales/", intranet_row()),
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
            "/_util/authenticate_with_password/999999/999999/",
            intranet_row(employees=MISSING),
        ),
        "^((?:[\\w\\-]+/)*)$": ("/", intranet_row()),
    },
    "extranet": {
        "healthz": ("/healthz", extranet_row(anonymous=OK)),
        "accounts/login/": ("/accounts/login/", extranet_row(anonymous=OK, retailer=AWAY)),
        "accounts/logout/": ("/accounts/logout/", extranet_row()),
        "accounts/inactive/": ("/accounts/inactive/", extranet_row(anonymous=OK)),
        "accounts/reauthenticate/": ("/accounts/reauthenticate/", extranet_row()),
        "accounts/password/change/": ("/accounts/password/change/", extranet_row()),
        "accounts/password/reset/": ("/accounts/password/reset/", extranet_row(anonymous=OK)),
        "accounts/password/reset/done/": (
            "/accounts/password/reset/done/",
            extranet_row(anonymous=OK),
        ),
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
            "/accounts/password/reset/key/1-not-a-key/",
            extranet_row(anonymous=OK),
        ),
        "accounts/password/reset/key/done/": (
            "/accounts/password/reset/key/done/",
            extranet_row(anonymous=OK),
        ),
        "i18n/setlang/": ("/i18n/setlang/", extranet_row(anonymous=AWAY, retailer=AWAY)),
        "search/": ("/search/", extranet_row()),
        "shop/products/": ("/shop/products/", extranet_row()),
        "shop/orders/": ("/shop/orders/", extranet_row()),
        "shop/surveys/": ("/shop/surveys/", extranet_row()),
        "shop/feedback/": ("/shop/feedback/", extranet_row()),
        "shop/market/": ("/shop/market/", extranet_row()),
        "shop/knowledge/": ("/shop/knowledge/", extranet_row()),
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
            "/_util/authenticate_with_password/999999/999999/",
            extranet_row(retailer=MISSING),
        ),
        "^((?:[\\w\\-]+/)*)$": ("/", extranet_row()),
    },
}

# Wagtail admin pages people use, with every role.
ADMIN_ROWS = {
    "/admin/": admin_only(),
    "/admin/pages/": superuser_only(),
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
    pytest.param(face, route, role, id=f"{face}:{url}:{role}")
    for face, rows in MATRIX.items()
    for route, (url, _outcomes) in rows.items()
    for role in ROLE_KEYS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("face", "route", "role"), MATRIX_CASES)
def test_access_matrix(client, settings, face, route, role):
    set_face(settings, face)
    url, outcomes = MATRIX[face][route]
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
