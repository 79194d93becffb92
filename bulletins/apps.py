from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    """Department bulletin boards, factory news and discussion topics."""

    name = "bulletins"
    verbose_name = _("Bulletins")

    def ready(self):
        from datetime import timedelta

        from bulletins import permissions, signals  # noqa: F401
        from portal import scheduling

        # Notices given a future publish date go live within a minute of it.
        scheduling.register(
            "bulletins.scheduled_publish",
            "bulletins.tasks.scheduled_publish",
            every=timedelta(minutes=1),
        )
