"""Receivers of the documents app, connected by `DocumentsConfig.ready()` through `connect`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from documents.circulation.boxes import BOXES_GENERATION
from documents.circulation.models import CircularReport, ReportDelivery, ReportType
from documents.circulation.services import report_types_ensure
from documents.register.selectors import REGISTER_GENERATION
from portal.models import Department, Employee


def audience_changed(**kwargs) -> None:
    """Someone's department, groups or headship changed, in Wagtail admin or by the portal's
    services: a reader may have moved in or out of a document's audience, so the register's
    cached counts are forgotten (now, and again once the change is committed, so that a request
    in between cannot cache the old audience under the new generation)."""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    REGISTER_GENERATION.bump()


def reports_changed(**kwargs) -> None:
    """A report or one of its deliveries was saved or deleted, by the circulation's services
    or in the admin: the boxes' kept numbers of reports are forgotten (`BOXES_GENERATION`)."""
    if kwargs.get("raw"):
        return
    BOXES_GENERATION.bump()


def report_types_after_migrate(sender, using="default", **kwargs):
    """The report types of the design exist wherever their departments do."""
    tables = connections[using].introspection.table_names()
    if ReportType._meta.db_table not in tables or Department._meta.db_table not in tables:
        return
    report_types_ensure()


def connect(config) -> None:
    post_migrate.connect(report_types_after_migrate, sender=config)
    for model in (Employee, Department, Group):
        post_save.connect(audience_changed, sender=model, dispatch_uid=f"documents-{model}")
        post_delete.connect(audience_changed, sender=model, dispatch_uid=f"documents-del-{model}")
    for model in (CircularReport, ReportDelivery):
        post_save.connect(reports_changed, sender=model, dispatch_uid=f"documents-boxes-{model}")
        post_delete.connect(
            reports_changed, sender=model, dispatch_uid=f"documents-boxes-del-{model}"
        )
    m2m_changed.connect(
        audience_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="documents-user-groups",
    )
