from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class KnowledgeConfig(AppConfig):
    """The classified knowledge base, internal and external."""

    name = "knowledge"
    verbose_name = pgettext_lazy("knowledge", "Knowledge base")

    def ready(self):
        from knowledge.audit import AUDIT_ACTIONS
        from portal.audit import register as audit_register

        # What this app's audit codes mean, for the audit log's sentences.
        audit_register(*AUDIT_ACTIONS)
        from knowledge import signals  # noqa: F401 - connects the receivers
        from portal import tasks_lease

        tasks_lease.register(
            "knowledge.tasks.attachment_extract_text",
            retry=True,
            why="writes the extracted text again; a file that kills the worker stops after "
            "TASK_RESUME_LIMIT attempts",
        )
