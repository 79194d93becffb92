from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Policy documents and report circulation."""

    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # Adds the documents' permissions to the roles (ROLE_PERMISSIONS).
        from documents import permissions  # noqa: F401

        post_migrate.connect(report_types_after_migrate, sender=self)


def report_types_after_migrate(sender, using="default", **kwargs):
    """The report types of the design exist wherever their departments do."""
    from django.db import connections

    from documents.models import ReportType
    from portal.models import Department

    tables = connections[using].introspection.table_names()
    if ReportType._meta.db_table not in tables or Department._meta.db_table not in tables:
        return
    from documents.services import report_types_ensure

    report_types_ensure()
