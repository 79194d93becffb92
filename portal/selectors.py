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
