from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Policy documents and report circulation."""

    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from documents import signals
        from portal import scheduling

        signals.connect(self)
        scheduling.register(
            "documents.overdue_reminders",
            "documents.circulation.tasks.reports_overdue_remind_task",
            daily_at=time(8, 30),
        )
