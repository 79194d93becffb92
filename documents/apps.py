from datetime import time

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Policy documents and report circulation."""

    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from portal import scheduling

        post_migrate.connect(report_types_after_migrate, sender=self)
        self._connect_audience_signals()
        scheduling.register(
            "documents.overdue_reminders",
            "documents.tasks.reports_overdue_remind_task",
            daily_at=time(8, 30),
        )

    def _connect_audience_signals(self):
        """Who belongs to which department and group is edited in Wagtail admin (and by the
        portal's services): any such change forgets the register's cached counts."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from documents.selectors import audience_changed
        from portal.models import Department, Employee

        for model in (Employee, Department, Group):
            post_save.connect(audience_changed, sender=model, dispatch_uid=f"documents-{model}")
            post_delete.connect(
                audience_changed, sender=model, dispatch_uid=f"documents-del-{model}"
            )
        m2m_changed.connect(
            audience_changed,
            sender=get_user_model().groups.through,
            dispatch_uid="documents-user-groups",
        )


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
