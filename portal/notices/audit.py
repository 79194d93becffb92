"""What the mass notices' audit codes mean (portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import AuditAction

AUDIT_ACTIONS = (
    AuditAction(
        "notice.drafted", _("Mass notice drafted"), _("%(actor)s drafted the notice %(target)s")
    ),
    AuditAction(
        "notice.edited", _("Mass notice edited"), _("%(actor)s edited the notice %(target)s")
    ),
    AuditAction(
        "notice.sent",
        _("Mass notice sent"),
        _("%(actor)s sent the notice %(target)s to %(recipients)s people"),
    ),
    AuditAction(
        "notice.discarded",
        _("Mass notice discarded"),
        _("%(actor)s discarded the draft notice %(target)s"),
    ),
    AuditAction(
        "notice.reminder_sent",
        _("Mass notice reminder sent"),
        _("%(actor)s reminded %(recipients)s people of the notice %(target)s"),
    ),
)
