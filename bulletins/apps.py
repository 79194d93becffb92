from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class BulletinsConfig(AppConfig):
    """Department bulletin boards, factory news and discussion topics."""

    name = "bulletins"
    verbose_name = pgettext_lazy("bulletins", "Bulletins")

    def ready(self):
        from bulletins.audit import AUDIT_ACTIONS
        from portal.audit import register as audit_register

        # What this app's audit codes mean, for the audit log's sentences.
        audit_register(*AUDIT_ACTIONS)
        from datetime import timedelta

        from bulletins import permissions, signals  # noqa: F401
        from bulletins.selectors import discussion_urls
        from bulletins.services import FORUM_OWNER
        from forum.services.links import topic_links_register
        from portal import home, scheduling, tasks_lease

        # A search result in a discussion's (locked) forum topic opens the discussion.
        topic_links_register(owner_app=FORUM_OWNER, resolve=discussion_urls)

        home.register(
            "bulletins.notices",
            face="intranet",
            order=10,
            template="bulletins/home_notices.html",
            context="bulletins.home_html.home_panel",
        )

        # Notices given a future publish date go live within a minute of it.
        scheduling.register(
            "bulletins.scheduled_publish",
            "bulletins.tasks.scheduled_publish",
            every=timedelta(minutes=1),
        )
        tasks_lease.register(
            "bulletins.tasks.scheduled_publish",
            retry=True,
            why="publishes what is due; safe to run at any time and twice",
        )
