"""Access-matrix rows of the skeleton (accounts, search, site pages).

route (as the URL configuration spells it) → (a URL to request, or a function of no arguments
that makes the objects the URL needs and returns it; outcomes by role). The outcomes and row
builders are in tests/access.py.
"""

from tests.access import (
    ADMIN_ROLES,
    AWAY,
    LOGIN,
    MISSING,
    OK,
    admin_only,
    extranet_row,
    intranet_row,
)

INTRANET = {
    "healthz": ("/healthz", intranet_row(anonymous=OK)),
    # To the static icon, for anyone (a retailer's session is signed out, as on every URL).
    "favicon.ico": ("/favicon.ico", intranet_row(anonymous=AWAY, employees=AWAY)),
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
    "admin/login/": ("/admin/login/", admin_only(**dict.fromkeys(ADMIN_ROLES, LOGIN))),
    "admin/failwhale/": ("/admin/failwhale/", admin_only(**dict.fromkeys(ADMIN_ROLES, MISSING))),
    "files/^(\\d+)/(.*)$": ("/files/999999/missing.pdf", intranet_row(employees=MISSING)),
    "files/authenticate_with_password/<int:restriction_id>/": (
        "/files/authenticate_with_password/999999/",
        intranet_row(employees=MISSING),
    ),
    "search/": ("/search/", intranet_row()),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "/_util/authenticate_with_password/999999/999999/",
        intranet_row(employees=MISSING),
    ),
    "": ("/", intranet_row()),
    "^((?:[\\w\\-]+/)*)$": ("/no-such-page/", intranet_row(employees=MISSING)),
}

EXTRANET = {
    "healthz": ("/healthz", extranet_row(anonymous=OK)),
    "favicon.ico": ("/favicon.ico", extranet_row(anonymous=AWAY, retailer=AWAY)),
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
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "/_util/authenticate_with_password/999999/999999/",
        extranet_row(retailer=MISSING),
    ),
    "": ("/", extranet_row()),
    "^((?:[\\w\\-]+/)*)$": ("/no-such-page/", extranet_row(retailer=MISSING)),
}
