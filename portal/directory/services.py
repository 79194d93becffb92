"""Writes of the directory: the bulk import of employees from a sheet."""

from django.db import transaction

from portal.directory.imports import SheetError, import_file_discard, import_rows_check
from portal.models import Employee
from portal.services import audit_record, employee_create


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
