"""Outcomes and row builders of the access matrix (tests/integration/test_access_matrix.py).

Outcomes: OK (200), LOGIN (302 to the sign-in page: anonymous, or a session of the other face
that is signed out on the spot), AWAY (302 elsewhere), DENIED (403), MISSING (404).
"""

from tests.conftest import ROLE_KEYS

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
    outcomes = intranet_row(employees=DENIED, **overrides)
    outcomes.update({key: OK for key in ADMIN_ROLES if key not in overrides})
    return outcomes


def superuser_only(others_with_admin=AWAY):
    outcomes = admin_only()
    outcomes.update({key: others_with_admin for key in ADMIN_ROLES if key != "superuser"})
    return outcomes
