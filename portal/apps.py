from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    # The default of this module: PortalUsersConfig below is another app's (wagtailusers).
    default = True
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import audit, escaping, thread_locals

        # Django's per-request language, time zone and URLconf in plain thread-locals: the
        # portal serves only through synchronous WSGI workers (portal/thread_locals.py).
        thread_locals.install()
        # Django's `escape` without keep_lazy's generator on each call (portal/escaping.py).
        escaping.install()

        # What the core's audit codes mean; each app registers its own.
        audit.register(*audit.AUDIT_ACTIONS)
        from portal import scheduling, signals, tasks_lease

        # Without a sender: the roles need the permissions of every app, which Django creates
        # app by app, so the work is done once, on the signal for the last app.
        post_migrate.connect(
            signals.set_up_after_migrate, dispatch_uid="portal_set_up_after_migrate"
        )
        # What the sweep does with the core's tasks when their worker died; each app registers
        # its own (portal/tasks_lease.py).
        tasks_lease.register(
            "portal.tasks.email_send",
            retry=True,
            why="one message: sent again if the worker died before the server answered, a rare "
            "duplicate rather than a lost password or notification mail",
        )
        tasks_lease.register(
            "portal.search.tasks.update_search_index",
            retry=True,
            why="brings the index in step with the database: idempotent",
        )
        # Sheets kept between an import's preview and its confirmation (portal/import_files.py).
        scheduling.register(
            "portal.import_files_sweep",
            "portal.tasks.import_files_sweep_task",
            every=timedelta(hours=1),
        )
        tasks_lease.register(
            "portal.tasks.import_files_sweep_task",
            retry=True,
            why="deletes files older than a day: idempotent",
        )


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user administration with the portal's user form (see portal/users_admin.py)."""

    user_viewset = "portal.users_admin.PortalUserViewSet"
