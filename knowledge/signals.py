"""Receivers of the knowledge base, connected when `KnowledgeConfig.ready()` imports this
module: the set-up after migrations, Wagtail's workflow (the author hears what the editors
decided), the search index (an article's attachments are part of its indexed text) and the
cache of what every reader sees alike."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.admin.signal_handlers import (
    workflow_approval_email_notifier,
    workflow_rejection_email_notifier,
)
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site, WorkflowState
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    workflow_approved,
    workflow_rejected,
)

from knowledge.models import (
    ArticleAttachment,
    ArticlePage,
    ExternalKnowledgeIndexPage,
    KnowledgeIndexPage,
    KnowledgeType,
    RelatedArticle,
)
from knowledge.services import (
    article_links_changed,
    articles_changed,
    contribution_notify,
    knowledge_setup_ensure,
)
from portal.models import Department
from portal.search.services import search_index_sync_later


def _is_article(workflow_state) -> bool:
    return workflow_state.content_type_id == ContentType.objects.get_for_model(ArticlePage).pk


def _except_articles(notifier):
    def send(sender, instance, **kwargs):
        if _is_article(instance):
            return None
        return notifier(sender=sender, instance=instance, **kwargs)

    return send


# Wagtail mails the requester of any workflow when it is approved or rejected, in the request.
# Authors of articles hear from the knowledge base instead, through the task queue (below), so
# they get one mail, not two. Connected under Wagtail's own dispatch_uids before wagtail.admin
# is ready (this app comes first in INSTALLED_APPS): Wagtail's connect then finds them taken,
# and every other workflow still gets Wagtail's mail through these wrappers.
workflow_approved.connect(
    _except_articles(workflow_approval_email_notifier),
    sender=WorkflowState,
    dispatch_uid="workflow_state_approved_email_notification",
    weak=False,
)
workflow_rejected.connect(
    _except_articles(workflow_rejection_email_notifier),
    sender=WorkflowState,
    dispatch_uid="workflow_state_rejected_email_notification",
    weak=False,
)


def _article_of(workflow_state):
    if not _is_article(workflow_state):
        return None
    return ArticlePage.objects.filter(pk=workflow_state.object_id).select_related("owner").first()


@receiver(workflow_approved, dispatch_uid="knowledge_workflow_approved")
def notify_approved(sender, instance, user=None, **kwargs):
    article = _article_of(instance)
    if article is not None:
        contribution_notify(article=article, event="approved")


@receiver(workflow_rejected, dispatch_uid="knowledge_workflow_rejected")
def notify_changes_requested(sender, instance, user=None, **kwargs):
    article = _article_of(instance)
    if article is not None:
        task_state = instance.current_task_state
        comment = task_state.comment if task_state is not None else ""
        contribution_notify(article=article, event="changes", comment=comment)


@receiver(post_save, sender=ArticleAttachment, dispatch_uid="knowledge_attachment_saved")
@receiver(post_delete, sender=ArticleAttachment, dispatch_uid="knowledge_attachment_deleted")
def reindex_article_of_attachment(sender, instance, **kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    search_index_sync_later(model_label="knowledge.articlepage", pk=instance.article_id)


@receiver(post_save, sender=ArticlePage, dispatch_uid="knowledge_article_saved")
@receiver(post_delete, sender=ArticlePage, dispatch_uid="knowledge_article_deleted")
@receiver(page_published, sender=ArticlePage, dispatch_uid="knowledge_article_published")
@receiver(page_unpublished, sender=ArticlePage, dispatch_uid="knowledge_article_unpublished")
@receiver(post_save, sender=ArticleAttachment, dispatch_uid="knowledge_attachment_changed")
@receiver(post_delete, sender=ArticleAttachment, dispatch_uid="knowledge_attachment_gone")
@receiver(post_save, sender=RelatedArticle, dispatch_uid="knowledge_related_saved")
@receiver(post_delete, sender=RelatedArticle, dispatch_uid="knowledge_related_deleted")
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="knowledge_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="knowledge_restriction_deleted")
@receiver(post_save, sender=KnowledgeType, dispatch_uid="knowledge_type_saved")
@receiver(post_delete, sender=KnowledgeType, dispatch_uid="knowledge_type_deleted")
@receiver(post_save, sender=Tag, dispatch_uid="knowledge_tag_saved")
@receiver(post_delete, sender=Tag, dispatch_uid="knowledge_tag_deleted")
@receiver(post_save, sender=Department, dispatch_uid="knowledge_department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="knowledge_department_deleted")
def knowledge_changed(sender, **kwargs):
    """What the knowledge base caches for all readers is renewed (counts, shared parts, the
    types and departments listed with their counts)."""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    articles_changed()


def _linked_models() -> tuple[type, ...]:
    return (
        Page,
        get_document_model(),
        get_image_model(),
        Site,
        PageViewRestriction,
        CollectionViewRestriction,
    )


@receiver(post_save, dispatch_uid="knowledge_linked_saved")
@receiver(post_delete, dispatch_uid="knowledge_linked_deleted")
def linked_item_changed(sender, instance=None, **kwargs):
    """An article's body may link to any page, document or image: when one of them (or a
    site, or a view restriction) is saved or deleted, the articles' kept HTML is written
    again (`knowledge.article_html`). Connected for every sender, since a page is saved as its
    own model (news, notices, articles …), not as Wagtail's `Page`."""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    if isinstance(instance, _linked_models()):
        article_links_changed()


@receiver(post_page_move, dispatch_uid="knowledge_page_moved")
def page_moved(sender, **kwargs):
    # The moved page is saved (which `linked_item_changed` hears), its descendants' addresses
    # are updated without a save: any of them may be linked from an article.
    article_links_changed()
    if isinstance(sender, type) and issubclass(
        sender, ArticlePage | KnowledgeIndexPage | ExternalKnowledgeIndexPage
    ):
        articles_changed()


def set_up_after_migrate(sender, using="default", **kwargs):
    """The knowledge bases of both faces, their review workflow and the editors' page
    permissions exist whenever the database is migrated (also in tests). Idempotent. Connected
    without a sender, like portal's set-up, and run after the last app's migrations: the
    sites, the roles and Wagtail's workflow tables all exist then (portal's handler runs
    first)."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    tables = connections[using].introspection.table_names()
    needed = {"knowledge_knowledgeindexpage", "knowledge_knowledgereviewtask", "wagtailcore_site"}
    if not needed <= set(tables):
        return
    knowledge_setup_ensure()


post_migrate.connect(set_up_after_migrate, dispatch_uid="knowledge_set_up_after_migrate")
