"""Who may send a mass notice to whom.

* The Director's Office and the Computer Center (and system administrators) send to anyone.
* A department head sends to the people of the department(s) they head, sections included;
  "department head" is the head recorded on a department, or the department-head role holder
  for their own department.
* Everyone else is refused, with a message saying why.

Who may see a notice: its sender and system administrators see it with its delivery status;
its recipients see the notice itself; for everyone else it does not exist (404).
"""

from django.utils.translation import gettext as _

from portal.models import Department
from portal.permissions import Role, has_role
from portal.selectors import employee_of

# Departments (by code) whose members send notices to all staff.
EVERYONE_SENDER_DEPARTMENTS = ("director-office", "computer-center")


def may_send_to_everyone(user) -> bool:
    employee = employee_of(user)
    if employee is None:
        return False
    if has_role(user, Role.SYSTEM_ADMINISTRATOR):
        return True
    department = employee.department
    return department.code in EVERYONE_SENDER_DEPARTMENTS


def headed_departments(user) -> list[Department]:
    """The departments `user` may send to as their head, their sections included."""
    employee = employee_of(user)
    if employee is None:
        return []
    headed = set(Department.objects.filter(head=employee).values_list("pk", flat=True))
    if has_role(user, Role.DEPARTMENT_HEAD):
        headed.add(employee.department_id)
    if not headed:
        return []
    return list(
        Department.objects.filter(pk__in=headed) | Department.objects.filter(parent__in=headed)
    )


def may_compose(user) -> bool:
    """`may_send_to_everyone(user) or bool(headed_departments(user))`, without reading the
    departments: one department headed is enough (and a department-head role holder heads
    their own)."""
    if may_send_to_everyone(user):
        return True
    employee = employee_of(user)
    if employee is None:
        return False
    if has_role(user, Role.DEPARTMENT_HEAD):
        return True
    return Department.objects.filter(head=employee).exists()


def notice_refusal(*, user, audience: dict, people) -> str | None:
    """Why `user` may not send to `people` (chosen as `audience`), or None when they may."""
    if may_send_to_everyone(user):
        return None
    departments = headed_departments(user)
    if not departments:
        return _(
            "Only department heads (to their own department), the Director's Office and the "
            "Computer Center send mass notices."
        )
    if audience.get("all"):
        return _(
            "Only the Director's Office and the Computer Center send notices to all staff; "
            "as a department head you may send to your own department."
        )
    outside = people.exclude(department__in=departments).count()
    if outside:
        names = "、".join(d.display_name for d in departments if d.parent_id is None) or "、".join(
            d.display_name for d in departments
        )
        return _(
            "%(count)d of the chosen recipients are outside your department (%(departments)s). "
            "As its head you may send notices to its members only."
        ) % {"count": outside, "departments": names}
    return None


def may_edit_notice(user, notice) -> bool:
    """A draft is edited by its author alone (administrators see a notice only once it is
    sent); a notice being sent or sent is never edited by anyone."""
    return notice.status == notice.Status.DRAFT and notice.sender_id == user.pk


def may_manage_notice(user, notice) -> bool:
    """The sender and system administrators see the delivery status; only they."""
    return notice.sender_id == user.pk or has_role(user, Role.SYSTEM_ADMINISTRATOR)


def may_see_all_notices(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR)
