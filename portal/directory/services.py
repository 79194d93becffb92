"""Writes of the directory: maintaining people, deactivation and bulk import."""

from django.db import transaction

from portal.directory.imports import SheetError, import_file_discard, import_rows_check
from portal.models import Employee
from portal.services import audit_record, employee_create, user_issue_password


def employee_update(
    *,
    employee: Employee,
    actor,
    email: str,
    is_active: bool,
    password: str = "",
    fields: dict,
) -> Employee:
    """An administrator edits a person's directory entry and account. A password given here is
    issued (the person must change it at the next sign-in); switching `is_active` off
    deactivates (see `employee_deactivate`)."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(employee, name, value)
        employee.save()
        user = employee.user
        if user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        audit_record(actor=actor, action="employee.updated", target=employee)
        if password:
            user_issue_password(user=user, password=password, actor=actor)
        if is_active != user.is_active:
            if is_active:
                employee_reactivate(employee=employee, actor=actor)
            else:
                employee_deactivate(employee=employee, actor=actor)
    return employee


def employee_deactivate(*, employee: Employee, actor, reason: str = "") -> None:
    """Someone who left: hidden from the directory, the search and notice recipients, and unable
    to sign in (Django refuses inactive users); their account, history and everything they wrote
    stay. Their open sessions end at the next request, since authentication re-checks."""
    with transaction.atomic():
        user = employee.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="employee.deactivated", target=employee, reason=reason)


def employee_reactivate(*, employee: Employee, actor) -> None:
    with transaction.atomic():
        user = employee.user
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="employee.reactivated", target=employee)


def employee_import(*, token: str, actor) -> list[Employee]:
    """Create every employee of a previewed sheet, or none: the rows are checked again inside
    the transaction and one error anywhere refuses the whole sheet. Imported accounts have no
    usable password until the computer center issues one (or the person resets it by mail)."""
    with transaction.atomic():
        rows = import_rows_check(token)
        if any(row.errors for row in rows):
            raise SheetError("The sheet has errors; nothing was imported.")
        created = [
            employee_create(
                employee_number=row.values["employee_number"],
                name=row.values["name"],
                department=row.department,
                email=row.values["email"].lower(),
                position=row.position,
                phone=row.values["phone"],
                extension=row.values["extension"],
                office=row.values["office"],
                actor=actor,
            )
            for row in rows
        ]
        audit_record(actor=actor, action="employee.imported", data={"count": len(created)})
    import_file_discard(token)
    return created
