from datetime import time

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DocumentsConfig(AppConfig):
    """Policy documents and report circulation."""

    name = "documents"
    verbose_name = pgettext_lazy("policy document", "Documents")

    def ready(self):
        from documents.audit import AUDIT_ACTIONS
        from portal.audit import register as audit_register

        # What this app's audit codes mean, for the audit log's sentences.
        audit_register(*AUDIT_ACTIONS)
        from documents import signals
        from portal import scheduling, tasks_lease

        signals.connect(self)
        scheduling.register(
            "documents.overdue_reminders",
            "documents.circulation.tasks.reports_overdue_remind_task",
            daily_at=time(8, 30),
        )
        tasks_lease.register(
            "documents.circulation.tasks.reports_overdue_remind_task",
            retry=True,
            why="at most one reminder per report and day: a rerun reminds the rest",
        )
        tasks_lease.register(
            "documents.register.tasks.document_file_extract_text",
            retry=True,
            why="writes the extracted text again; a file that kills the worker stops after "
            "TASK_RESUME_LIMIT attempts",
        )
