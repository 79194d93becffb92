"""What the bulletins' audit codes mean (portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import AuditAction

AUDIT_ACTIONS = (
    AuditAction(
        "bulletins.delegate_added",
        _("Board publisher added"),
        _("%(actor)s let %(name)s publish on the board %(target)s"),
    ),
    AuditAction(
        "bulletins.delegate_removed",
        _("Board publisher removed"),
        _("%(actor)s stopped %(name)s publishing on the board %(target)s"),
    ),
    AuditAction(
        "bulletins.reminder_sent",
        _("Notice reminder sent"),
        _("%(actor)s reminded %(recipients)s people to read the notice %(target)s"),
    ),
    AuditAction(
        "bulletins.feed_token_regenerated",
        _("Feed address renewed"),
        _("%(actor)s renewed their private feed address"),
    ),
    AuditAction(
        "bulletins.discussion_opened",
        _("Discussion opened"),
        _("%(actor)s opened the discussion %(target)s"),
    ),
    AuditAction(
        "bulletins.suggestion_marked",
        _("Suggestion marked"),
        _("%(actor)s marked a suggestion in the discussion %(target)s"),
    ),
    AuditAction(
        "bulletins.discussion_closed",
        _("Discussion closed"),
        _("%(actor)s closed the discussion %(target)s"),
    ),
)
