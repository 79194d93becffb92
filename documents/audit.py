"""What the audit codes of policy documents and circulated reports mean (portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import AuditAction

AUDIT_ACTIONS = (
    AuditAction(
        "document.registered",
        _("Document registered"),
        _("%(actor)s registered the document %(target)s"),
    ),
    AuditAction(
        "document.revised", _("Document revised"), _("%(actor)s revised the document %(target)s")
    ),
    AuditAction(
        "document.published",
        _("Document published"),
        _("%(actor)s published the document %(target)s"),
    ),
    AuditAction(
        "document.superseded",
        _("Document superseded"),
        _("%(actor)s replaced the document %(target)s by %(number)s"),
    ),
    AuditAction(
        "document.repealed", _("Document repealed"), _("%(actor)s repealed the document %(target)s")
    ),
    AuditAction(
        "document.file_added",
        _("Document file added"),
        _("%(actor)s added the file %(file)s to the document %(target)s"),
    ),
    AuditAction(
        "document.access_granted",
        _("Document access granted"),
        _("%(actor)s let more readers see the document %(target)s"),
    ),
    AuditAction(
        "document.access_revoked",
        _("Document access withdrawn"),
        _("%(actor)s withdrew readers' access to the document %(target)s"),
    ),
    AuditAction(
        "document.acknowledged",
        _("Document confirmed as read"),
        _("%(actor)s confirmed having read the document %(target)s"),
    ),
    AuditAction(
        "report.created", _("Report drafted"), _("%(actor)s drafted the report %(target)s")
    ),
    AuditAction("report.edited", _("Report edited"), _("%(actor)s edited the report %(target)s")),
    AuditAction(
        "report.submitted",
        _("Report submitted for approval"),
        _("%(actor)s submitted the report %(target)s for approval"),
    ),
    AuditAction(
        "report.approved",
        _("Report approved and sent"),
        _("%(actor)s approved and sent the report %(target)s"),
    ),
    AuditAction(
        "report.returned_to_drafter",
        _("Report returned to its drafter"),
        _("%(actor)s returned the report %(target)s to its drafter"),
    ),
    AuditAction(
        "report.accepted", _("Report accepted"), _("%(actor)s accepted the report %(target)s")
    ),
    AuditAction(
        "report.returned",
        _("Report returned with comments"),
        _("%(actor)s returned the report %(target)s with comments"),
    ),
)
