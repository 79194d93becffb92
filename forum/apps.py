from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ForumConfig(AppConfig):
    """The pseudonymous forum."""

    name = "forum"
    verbose_name = pgettext_lazy("forum", "Forum")

    def ready(self):
        from forum.audit import AUDIT_ACTIONS
        from portal.audit import register as audit_register

        # What this app's audit codes mean, for the audit log's sentences.
        audit_register(*AUDIT_ACTIONS)
        from portal import tasks_lease

        tasks_lease.register(
            "forum.tasks.notifications_deliver",
            retry=True,
            why="one notification per recipient, post and kind, a mail once per notification "
            "(emailed_at): a rerun mails the rest; only a mail in flight may go twice",
        )
