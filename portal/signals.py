"""The core's signal receivers, connected by `PortalConfig.ready()`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import task_finished, task_started
from wagtail.models import PageViewRestriction, ReferenceIndex

from portal.pages import forget_any_view_restriction
from portal.tasks_lease import lease_release, lease_take


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="pages_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="pages_restriction_deleted")
def view_restriction_changed(**kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    forget_any_view_restriction()


def _database_task(sender) -> bool:
    """Whether a task signal comes from a database worker (the immediate backend of some
    set-ups runs tasks inline: nothing to lease there)."""
    backend = sender if isinstance(sender, type) else type(sender)
    return issubclass(backend, DatabaseBackend)


@receiver(task_started, dispatch_uid="tasks_lease_take")
def task_lease_take(sender, task_result, **kwargs):
    if _database_task(sender):
        worker_ids = task_result.worker_ids or [""]
        lease_take(
            task_id=task_result.id,
            task_path=task_result.task.module_path,
            worker_id=worker_ids[-1],
        )


@receiver(task_finished, dispatch_uid="tasks_lease_release")
def task_lease_release(sender, task_result, **kwargs):
    if _database_task(sender):
        lease_release(task_id=task_result.id)


@receiver(post_save, dispatch_uid="portal_reference_index_now")
def reference_index_now(sender, instance, raw=False, **kwargs):
    """Wagtail's reference index says which notice, article or product a document or picture
    belongs to, and so who may read it (portal/file_access.py). Wagtail updates it through
    the task queue; a reader of a notice just published must not get 404 for its attachment
    until a worker comes by, so the saved object's references are recorded now, in the same
    transaction (Wagtail's queued update finds them recorded already)."""
    from wagtail.signal_handlers import reference_index_auto_update_disabled
    from wagtail.tasks import update_reference_index_task

    if raw or sender not in ReferenceIndex.tracked_models:
        return
    if getattr(reference_index_auto_update_disabled, "value", False):
        return
    update_reference_index_task.func(
        sender._meta.app_label, sender._meta.model_name, str(instance.pk)
    )


def set_up_after_migrate(sender, using="default", plan=None, **kwargs):
    """Roles and the intranet site exist whenever the database is migrated (also in tests)."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connections

    from portal.models import IntranetHomePage
    from portal.services import roles_sync, site_ensure

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    tables = connections[using].introspection.table_names()
    if IntranetHomePage._meta.db_table not in tables or "wagtailcore_site" not in tables:
        return
    roles_sync()
    site_ensure(
        site_name="intranet",
        page_model=IntranetHomePage,
        title="工厂门户",
        slug="intranet",
        hostname=settings.INTRANET_SITE_HOSTNAME,
        port=settings.INTRANET_SITE_PORT,
        default=True,
    )
