"""What the forum's audit codes mean (portal/audit.py). Moderators act under their names; the
people behind pseudonyms are never named here."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.audit import AuditAction

AUDIT_ACTIONS = (
    AuditAction(
        "forum.identity_reveal",
        pgettext_lazy("audit action", "Author revealed"),
        _("%(actor)s revealed who writes as %(pseudonym)s (post %(post)s)"),
    ),
    AuditAction("forum.post_hide", _("Post hidden"), _("%(actor)s hid the post %(target)s")),
    AuditAction(
        "forum.post_restore", _("Post restored"), _("%(actor)s restored the post %(target)s")
    ),
    AuditAction("forum.topic_lock", _("Topic locked"), _("%(actor)s locked the topic %(target)s")),
    AuditAction(
        "forum.topic_unlock", _("Topic unlocked"), _("%(actor)s unlocked the topic %(target)s")
    ),
    AuditAction("forum.topic_pin", _("Topic pinned"), _("%(actor)s pinned the topic %(target)s")),
    AuditAction(
        "forum.topic_unpin", _("Topic unpinned"), _("%(actor)s unpinned the topic %(target)s")
    ),
    AuditAction(
        "forum.topic_move",
        _("Topic moved"),
        _("%(actor)s moved the topic %(target)s to another board"),
    ),
    AuditAction(
        "forum.report_dismiss",
        _("Post report dismissed"),
        _("%(actor)s dismissed the reports of the post %(target)s"),
    ),
    AuditAction(
        "forum.pseudonym_rename",
        _("Pseudonym renamed"),
        _("%(actor)s renamed the pseudonym %(from)s to %(to)s"),
    ),
    AuditAction(
        "forum.pseudonym_rename_decline",
        _("Pseudonym change declined"),
        _("%(actor)s declined the request to rename the pseudonym %(target)s"),
    ),
)
