from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NoticesConfig(AppConfig):
    """Mass notices: compose, choose recipients, send in the background, archive and inbox."""

    name = "portal.notices"
    label = "notices"
    verbose_name = pgettext_lazy("mass notice", "Notices")

    def ready(self):
        from portal.audit import register as audit_register
        from portal.notices.audit import AUDIT_ACTIONS

        # What this app's audit codes mean, for the audit log's sentences.
        audit_register(*AUDIT_ACTIONS)
        from portal import tasks_lease
        from portal.notices.tasks import notice_deliver_resume

        tasks_lease.register(
            "portal.notices.tasks.notice_deliver",
            resume=notice_deliver_resume,
            why="rows left in 'sending' are reported interrupted (never sent twice), the "
            "pending ones are sent by the task queued again",
        )
