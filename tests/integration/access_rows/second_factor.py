"""Access-matrix rows of allauth's two-factor pages (portal/second_factor.py), routed on the
intranet only: retailers hold no role that needs a second factor, so the extranet has none.

The matrix signs identity auditors and superusers in with an authenticator app and a session
that has entered its code (tests.conftest.sign_in); the other roles have no authenticator.
Setting one up first asks for the password again (AWAY to /accounts/reauthenticate/); pages
about an authenticator a user does not have answer 404.
"""

from tests.access import AWAY, MISSING, OK, intranet_row

WITH_APP = ("identity_auditor", "superuser")

INTRANET = {
    "accounts/2fa/": ("/accounts/2fa/", intranet_row()),
    # Only reached in the middle of signing in; otherwise sent away.
    "accounts/2fa/authenticate/": ("/accounts/2fa/authenticate/", intranet_row(employees=AWAY)),
    "accounts/2fa/reauthenticate/": (
        "/accounts/2fa/reauthenticate/",
        intranet_row(employees=AWAY, **dict.fromkeys(WITH_APP, OK)),
    ),
    "accounts/2fa/totp/activate/": ("/accounts/2fa/totp/activate/", intranet_row(employees=AWAY)),
    "accounts/2fa/totp/deactivate/": (
        "/accounts/2fa/totp/deactivate/",
        intranet_row(employees=MISSING, **dict.fromkeys(WITH_APP, AWAY)),
    ),
    "accounts/2fa/recovery-codes/": (
        "/accounts/2fa/recovery-codes/",
        intranet_row(employees=MISSING),
    ),
    "accounts/2fa/recovery-codes/generate/": (
        "/accounts/2fa/recovery-codes/generate/",
        intranet_row(employees=AWAY),
    ),
    "accounts/2fa/recovery-codes/download/": (
        "/accounts/2fa/recovery-codes/download/",
        intranet_row(employees=MISSING),
    ),
}

EXTRANET = {}
