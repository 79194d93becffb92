from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DirectoryConfig(AppConfig):
    """The email directory: colleagues by department, search, cards, exports and bulk import.
    It has no models of its own: it reads and maintains the core's people."""

    name = "portal.directory"
    label = "directory"
    verbose_name = pgettext_lazy("directory", "Directory")

    def ready(self):
        from portal.directory import signals  # noqa: F401 (receivers)
