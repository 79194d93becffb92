from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """The classified knowledge base, internal and external."""

    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from knowledge import signals  # noqa: F401 - connects the workflow notifications

        # Without a sender, like portal's set-up: the sites, the roles and Wagtail's workflow
        # tables all exist once the last app is migrated (portal's handler runs first).
        post_migrate.connect(set_up_after_migrate, dispatch_uid="knowledge_set_up_after_migrate")


def set_up_after_migrate(sender, using="default", **kwargs):
    """The knowledge bases of both faces, their review workflow and the editors' page
    permissions exist whenever the database is migrated (also in tests). Idempotent."""
    from django.apps import apps
    from django.db import connections

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    tables = connections[using].introspection.table_names()
    needed = {"knowledge_knowledgeindexpage", "knowledge_knowledgereviewtask", "wagtailcore_site"}
    if not needed <= set(tables):
        return
    from knowledge.services import knowledge_setup_ensure

    knowledge_setup_ensure()
