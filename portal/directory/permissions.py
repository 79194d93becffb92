"""Who may do what in the directory. Reading it: every employee (the intranet's rule,
`portal.search.visibility.employees_visible_to`); maintaining it: administrators."""

from portal.permissions import Role, has_role


def may_import_employees(user) -> bool:
    """Bulk import creates accounts: the computer center's system administrators only."""
    return user.is_authenticated and user.is_employee and has_role(user, Role.SYSTEM_ADMINISTRATOR)
