"""Reads of the people model that depend on who asks."""

from portal.models import Employee


def employee_of(user) -> Employee | None:
    """The signed-in employee's directory entry with department and position, read once per
    request (cached on the user object). None for retailers and anonymous users."""
    if not user.is_authenticated or not user.is_employee:
        return None
    if not hasattr(user, "_portal_employee"):
        if "employee" in user._state.fields_cache:
            # Read with the user by the authentication backend (portal.accounts).
            user._portal_employee = user._state.fields_cache["employee"]
        else:
            user._portal_employee = (
                Employee.objects.select_related("department", "position")
                .filter(user_id=user.pk)
                .first()
            )
    return user._portal_employee


# The codes of the departments an employee heads, read with the signed-in user and cached with
# it (portal.accounts, portal.user_cache): a department's head is a field of the department,
# and saving or deleting any department forgets every cached user.
_HEADED_CODES = "_portal_headed_codes"


def headed_codes_load(employee: Employee) -> None:
    """Read the codes of the departments `employee` heads and keep them on the instance."""
    employee.__dict__[_HEADED_CODES] = frozenset(
        employee.headed_departments.values_list("code", flat=True)
    )


def headed_codes(employee: Employee) -> frozenset[str]:
    """The codes of the departments `employee` heads: as read with the user, or read now (and
    kept on the instance for the rest of the request)."""
    codes = employee.__dict__.get(_HEADED_CODES)
    if codes is None:
        headed_codes_load(employee)
        codes = employee.__dict__[_HEADED_CODES]
    return codes
