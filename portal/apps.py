from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import signals  # noqa: F401 (receivers)

        # Without a sender: the roles need the permissions of every app, which Django creates
        # app by app, so the work is done once, on the signal for the last app.
        post_migrate.connect(set_up_after_migrate, dispatch_uid="portal_set_up_after_migrate")


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
