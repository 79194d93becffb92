"""What the knowledge base's audit codes mean (portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import AuditAction

AUDIT_ACTIONS = (
    AuditAction(
        "knowledge.article_draft",
        _("Article drafted"),
        _("%(actor)s drafted the article %(target)s"),
    ),
    AuditAction(
        "knowledge.article_revise",
        _("Article revised"),
        _("%(actor)s revised the article %(target)s"),
    ),
    AuditAction(
        "knowledge.article_submit",
        _("Article submitted for review"),
        _("%(actor)s submitted the article %(target)s for review"),
    ),
    AuditAction(
        "knowledge.article_reject",
        _("Article sent back"),
        _("%(actor)s sent the article %(target)s back to its author"),
    ),
)
