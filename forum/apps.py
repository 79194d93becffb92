from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    """The pseudonymous forum."""

    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        # Adds the forum's permissions to the roles (portal.permissions.ROLE_PERMISSIONS).
        from forum import permissions  # noqa: F401
