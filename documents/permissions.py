"""Who may do what with policy documents and circulated reports: the one place that decides.

Roles: document managers ("the special person") register, publish, revise, supersede and repeal;
the head of a document's issuing department (its competent leader) decides who may read a
restricted document; report steps belong to members and heads of the departments on the route.
"""

from portal.permissions import Role, has_role
from portal.selectors import employee_of

VIEW_PERMISSION = "documents.view_policydocument"

# Reference data kept in Wagtail admin: categories by document managers, report types by
# system administrators. Merged with the other apps' by portal.permissions.role_permissions().
ROLE_PERMISSIONS = {
    Role.DOCUMENT_MANAGER: [
        "documents.add_category",
        "documents.change_category",
        "documents.view_category",
    ],
    Role.SYSTEM_ADMINISTRATOR: [
        "documents.add_category",
        "documents.change_category",
        "documents.view_category",
        "documents.add_reporttype",
        "documents.change_reporttype",
        "documents.view_reporttype",
    ],
}

DIRECTOR_OFFICE_CODE = "director-office"


def is_document_manager(user) -> bool:
    return user.is_authenticated and (
        has_role(user, Role.DOCUMENT_MANAGER) or has_role(user, Role.SYSTEM_ADMINISTRATOR)
    )


def department_ids_of(user) -> tuple[int, ...]:
    """The signed-in employee's department and, for a member of a section, the department the
    section belongs to (a section's people count as members of its department)."""
    employee = employee_of(user)
    if employee is None:
        return ()
    department = employee.department
    return tuple(pk for pk in (department.pk, department.parent_id) if pk is not None)


def heads_department(user, department) -> bool:
    employee = employee_of(user)
    return employee is not None and department.head_id == employee.pk


def may_manage_register(user) -> bool:
    """Register, revise, publish, supersede and repeal documents, and store their files."""
    return is_document_manager(user)


def may_grant_access(user, document) -> bool:
    """The competent leader decides who reads a restricted document."""
    if not document.is_restricted:
        return False
    return heads_department(user, document.issuing_department) or has_role(
        user, Role.SYSTEM_ADMINISTRATOR
    )


def may_see_acknowledgements(user, document) -> bool:
    return document.requires_acknowledgement and (
        is_document_manager(user) or heads_department(user, document.issuing_department)
    )


def may_acknowledge(user, document) -> bool:
    return (
        document.requires_acknowledgement
        and document.status == document.Status.IN_FORCE
        and user.is_authenticated
        and user.is_employee
    )


# Circulation


def may_draft_report(user, report_type) -> bool:
    return report_type.is_active and report_type.source_id in department_ids_of(user)


def may_edit_report(user, report) -> bool:
    return report.drafter_id == user.pk and report.status in EDITABLE_REPORT_STATUSES


EDITABLE_REPORT_STATUSES = ("draft", "returned_to_drafter", "returned")


def may_approve_report(user, report) -> bool:
    return heads_department(user, report.source)


def may_decide_delivery(user, delivery) -> bool:
    """The head of a destination accepts or returns the report for their department."""
    return heads_department(user, delivery.destination)


def is_director_office(user) -> bool:
    employee = employee_of(user)
    return employee is not None and employee.department.code == DIRECTOR_OFFICE_CODE
