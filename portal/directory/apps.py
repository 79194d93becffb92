from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DirectoryConfig(AppConfig):
    """The email directory: colleagues by department, search, cards, exports and bulk import.
    It has no models of its own: it reads and maintains the core's people."""

    name = "portal.directory"
    label = "directory"
    verbose_name = pgettext_lazy("directory", "Directory")

    def ready(self):
        from portal.audit import register as audit_register
        from portal.directory.audit import AUDIT_ACTIONS

        # What this app's audit codes mean, for the audit log's sentences.
        audit_register(*AUDIT_ACTIONS)
        from portal.directory import signals  # noqa: F401 (receivers)
