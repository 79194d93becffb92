"""What the directory's audit codes mean (portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import AuditAction

AUDIT_ACTIONS = (
    AuditAction(
        "employee.imported",
        _("Employees imported"),
        _("%(actor)s imported %(count)s employees into the directory"),
    ),
)
