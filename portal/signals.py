"""The core's signal receivers, connected by `PortalConfig.ready()`."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import task_finished, task_started
from wagtail.models import PageViewRestriction, ReferenceIndex

from portal import roles
from portal.models import Department, Employee, Position, User
from portal.pages import forget_any_view_restriction
from portal.tasks_lease import lease_release, lease_take
from portal.user_cache import user_forget, users_forget_all


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


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="roles_membership_changed")
def membership_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Every group membership added or removed, from either side (`user.groups` or
    `group.user_set`), is checked before it is saved and audited after."""
    if action == "pre_clear":
        # Clearing sends no list: remember what is there to record what went.
        related = instance.user_set if reverse else instance.groups
        instance._roles_cleared = set(related.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_roles_cleared", set())
        action = "post_remove"
    if not pk_set:
        return
    others = list(model.objects.filter(pk__in=pk_set))
    users, groups = (others, [instance]) if reverse else ([instance], others)
    if action == "pre_add":
        roles.membership_check(users=users, groups=groups)
    elif action == "post_add":
        roles.membership_record(users=users, groups=groups, granted=True)
    elif action == "pre_remove":
        # Only memberships that exist are revoked; Django sends the ids it was given.
        related = instance.user_set if reverse else instance.groups
        instance._roles_removing = set(related.filter(pk__in=pk_set).values_list("pk", flat=True))
    elif action == "post_remove":
        present = getattr(instance, "_roles_removing", None)
        if present is not None:
            others = [other for other in others if other.pk in present]
            users, groups = (others, [instance]) if reverse else ([instance], others)
        roles.membership_record(users=users, groups=groups, granted=False)


@receiver(post_save, sender=User, dispatch_uid="user_cache_user_saved")
@receiver(post_delete, sender=User, dispatch_uid="user_cache_user_deleted")
def user_cache_user_changed(sender, instance, raw=False, **kwargs):
    # Not on a fixture's raw save (see the README on loading data): nothing is cached then.
    if not raw:
        user_forget(instance.pk)


@receiver(post_save, sender=Employee, dispatch_uid="user_cache_employee_saved")
@receiver(post_delete, sender=Employee, dispatch_uid="user_cache_employee_deleted")
def user_cache_employee_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        user_forget(instance.user_id)


@receiver(post_save, sender=Department, dispatch_uid="user_cache_department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="user_cache_department_deleted")
@receiver(post_save, sender=Position, dispatch_uid="user_cache_position_saved")
@receiver(post_delete, sender=Position, dispatch_uid="user_cache_position_deleted")
@receiver(post_save, sender=Group, dispatch_uid="user_cache_group_saved")
@receiver(post_delete, sender=Group, dispatch_uid="user_cache_group_deleted")
def user_cache_shared_changed(sender, raw=False, **kwargs):
    if not raw:
        users_forget_all()


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="user_cache_membership_changed")
def user_cache_membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Roles are cached with the user: any change of memberships forgets the users'."""
    if not action.startswith("post_"):
        return
    if not reverse:
        user_forget(instance.pk)
    elif pk_set:
        user_forget(*pk_set)
    else:  # a group's members cleared: Django does not say whose
        users_forget_all()


@receiver(pre_save, sender=Group, dispatch_uid="roles_group_renamed")
def group_renamed(sender, instance, raw=False, **kwargs):
    if not raw:
        roles.group_rename_check(group=instance)


@receiver(pre_save, sender=User, dispatch_uid="roles_flags_before")
def user_flags_before(sender, instance, raw=False, update_fields=None, **kwargs):
    """Read the superuser and active flags as stored, to compare after the save."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(roles.AUDITED_FLAGS):
        return
    instance._roles_flags_before = (
        User.objects.filter(pk=instance.pk).values(*roles.AUDITED_FLAGS).first() or {}
    )


@receiver(post_save, sender=User, dispatch_uid="roles_flags_after")
def user_flags_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_roles_flags_before", None)
    if created or before:
        roles.flags_record(user=instance, before=before or {}, created=created)


@receiver(authenticator_added, dispatch_uid="second_factor_set_up")
def second_factor_set_up(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator app takes a valid code from it: this session has passed the
    second factor (see portal/second_factor.py)."""
    if authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, method="mfa", type="totp")


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
