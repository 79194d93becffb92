"""Writes of the knowledge base: set-up, contributions and their review, votes, views and
attachments. A contribution that may not be made or changed is refused with a `Refusal`."""

import html
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from knowledge.article_html import LINKED_GENERATION
from knowledge.models import (
    ArticleAttachment,
    ArticlePage,
    ExternalKnowledgeIndexPage,
    HelpfulVote,
    KnowledgeIndexPage,
    KnowledgeReviewTask,
    KnowledgeType,
)
from knowledge.permissions import may_revise
from knowledge.selectors import ARTICLES_GENERATION
from knowledge.tasks import attachment_extract_text
from portal.refusals import Refusal
from portal.selectors import employee_of
from portal.services import audit_record
from portal.tasks import email_send

logger = logging.getLogger(__name__)

# The knowledge types of DESIGN.md, seeded once; the editors may rename, add or reorder them.
SEED_TYPES = [
    ("raw-material-quality", "原料质量鉴别", "Raw-material quality identification"),
    ("storage", "仓储保管", "Storage"),
    ("product-quality-control", "产品质量控制", "Product quality control"),
    ("equipment-maintenance", "设备维护", "Equipment maintenance"),
    ("safety", "安全生产", "Safety"),
    ("sales-service", "销售与服务", "Sales and service"),
]
WORKFLOW_NAME = "知识审核 Knowledge review"
TASK_NAME = "知识编辑审核 Knowledge editors' review"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "unlock_page")
# Wagtail grants images and documents per collection (group model permissions do not count):
# the knowledge editors upload, edit and choose them in the "Knowledge" collection, where the
# pictures contributors send with their articles are stored too.
KNOWLEDGE_COLLECTION = "Knowledge"
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
)
# How long an article stays good before its owner should review it, unless set otherwise.
DEFAULT_REVIEW_PERIOD = timedelta(days=365)
AUDIENCE_INTERNAL, AUDIENCE_EXTERNAL = "internal", "external"


def knowledge_setup_ensure() -> None:
    """The knowledge types, both faces' knowledge bases, the review workflow (one
    KnowledgeReviewTask for the knowledge-editor group) assigned to both, and the editors'
    page permissions on both. Idempotent: run after every migration."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Site, Workflow, WorkflowPage, WorkflowTask

    from portal.permissions import Role

    with transaction.atomic():
        if not KnowledgeType.objects.exists():
            KnowledgeType.objects.bulk_create(
                KnowledgeType(slug=slug, name=name, name_en=name_en, sort_order=order * 10)
                for order, (slug, name, name_en) in enumerate(SEED_TYPES)
            )
        indexes = []
        for site_name, model, title, intro in (
            ("intranet", KnowledgeIndexPage, "知识库", "工厂各部门整理的经验与知识。"),
            ("extranet", ExternalKnowledgeIndexPage, "零售知识库", "面向零售客户的经营指南。"),
        ):
            site = Site.objects.filter(site_name=site_name).select_related("root_page").first()
            if site is None:
                continue
            index_page = model.objects.first()
            if index_page is None:
                index_page = site.root_page.add_child(
                    instance=model(title=title, slug="articles", intro=f"<p>{intro}</p>")
                )
            indexes.append(index_page)
        group, _created = Group.objects.get_or_create(name=Role.KNOWLEDGE_EDITOR)
        task = KnowledgeReviewTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = KnowledgeReviewTask.objects.create(name=TASK_NAME)
            task.groups.set([group])
        workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        permissions = list(
            Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
            )
        )
        for index_page in indexes:
            WorkflowPage.objects.get_or_create(page=index_page, defaults={"workflow": workflow})
            for permission in permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index_page, permission=permission
                )
        _collection_ensure(group)


def knowledge_collection():
    """The Wagtail collection of the knowledge base's images and documents (None before
    migrations have made it)."""
    from wagtail.models import Collection

    return Collection.objects.filter(name=KNOWLEDGE_COLLECTION, depth=2).first()


def _collection_ensure(group) -> None:
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    collection = knowledge_collection()
    if collection is None:
        collection = root.add_child(name=KNOWLEDGE_COLLECTION)
    for app_label, codenames in EDITOR_COLLECTION_PERMISSIONS:
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def articles_changed() -> None:
    """Start a new generation of what the knowledge base caches for all readers (counts,
    articles' shared parts): now, and again when the transaction commits, in case a request
    cached the data as it was before the change in between."""
    ARTICLES_GENERATION.bump()


def article_links_changed() -> None:
    """Start a new generation of the articles' kept HTML (`knowledge.article_html`): what
    their bodies link to (a page, a document, an image) or the sites' addresses changed. Now
    and again on commit, as `articles_changed`."""
    LINKED_GENERATION.bump()


def knowledge_index_for(audience: str):
    """The knowledge base an audience's articles are added to; refused before set-up."""
    model = ExternalKnowledgeIndexPage if audience == AUDIENCE_EXTERNAL else KnowledgeIndexPage
    index_page = model.objects.first()
    if index_page is None:
        raise Refusal(_("The knowledge base is not set up yet. Please tell the admin."), status=409)
    return index_page


@dataclass
class ArticleContent:
    """What an author writes in the contribution form."""

    title: str
    knowledge_type: KnowledgeType
    summary: str = ""
    text: str = ""
    steps: list[str] | None = None
    warning: str = ""
    tags: list[str] | None = None
    # A simple table: the first row holds the column headings (all cells are text).
    table: list[list[str]] | None = None
    # Wagtail images (ids) shown after the text, each with an optional caption.
    images: list[tuple[int, str]] | None = None


# Paragraphs are separated by a blank line (a line of only spaces counts as blank).
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")
# A paragraph whose every line is a "- item" (or "* ", "• ") is a list, "1. item" ("1、") a
# numbered one: the editor shows them as its own lists.
BULLET_ITEM = re.compile(r"^[-*•·]\s+(\S.*)$")
NUMBERED_ITEM = re.compile(r"^\d{1,3}(?:[.)]\s+|、\s*)(\S.*)$")


def paragraphs_html(text: str) -> str:
    """Plain text as rich text in the form Draftail reads and writes: a blank line starts a new
    paragraph, a single line break is a self-closed `<br/>` inside it (an unclosed `<br>` makes
    Wagtail's converter fail on the editor's page), lines typed as a list become a list;
    everything escaped, so markup typed or pasted into the form stays text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for part in PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in part.strip().split("\n")]
        if not any(lines):
            continue
        for tag, item in (("ul", BULLET_ITEM), ("ol", NUMBERED_ITEM)):
            items = [item.match(line) for line in lines]
            if all(items):
                blocks.append(
                    f"<{tag}>"
                    + "".join(f"<li>{html.escape(m[1], quote=False)}</li>" for m in items)
                    + f"</{tag}>"
                )
                break
        else:
            blocks.append(
                "<p>" + "<br/>".join(html.escape(line, quote=False) for line in lines) + "</p>"
            )
    return "".join(blocks)


def _table_value(rows: list[list[str]]) -> dict:
    width = max(len(row) for row in rows)
    padded = [[*row, *[""] * (width - len(row))] for row in rows]
    return {
        "caption": "",
        "columns": [{"type": "text", "heading": heading} for heading in padded[0]],
        "rows": [{"values": row} for row in padded[1:]],
    }


def body_from_content(content: ArticleContent) -> list[dict]:
    """The StreamField data of what the simple form holds: text, images, a table, steps,
    then a warning."""
    body = []
    if content.text.strip():
        body.append({"type": "text", "value": paragraphs_html(content.text)})
    for image_id, caption in content.images or []:
        body.append({"type": "image", "value": {"image": image_id, "caption": caption}})
    if content.table and any(any(cell for cell in row) for row in content.table):
        body.append({"type": "table", "value": _table_value(content.table)})
    steps = [step.strip() for step in content.steps or [] if step.strip()]
    if steps:
        body.append({"type": "steps", "value": {"title": "", "steps": steps}})
    if content.warning.strip():
        body.append(
            {"type": "warning", "value": {"level": "caution", "text": content.warning.strip()}}
        )
    return body


def _unique_slug(parent, title: str) -> str:
    base = slugify(title, allow_unicode=True)[:60] or "article"
    slug, number = base, 1
    siblings = parent.get_children()
    while siblings.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def image_add(*, upload, user, title: str = ""):
    """Store an uploaded picture as a Wagtail image in the knowledge base's collection (the
    form has checked its type, size and that it is an image)."""
    from wagtail.images import get_image_model

    collection = knowledge_collection()
    if collection is None:
        raise Refusal(_("The knowledge base is not set up yet. Please tell the admin."), status=409)
    image = get_image_model()(
        title=(title or upload.name)[:255],
        file=upload,
        collection=collection,
        uploaded_by_user=user,
    )
    image.save()
    return image


def _with_uploaded_images(content: ArticleContent, uploads, user, kept=()) -> ArticleContent:
    images = list(kept)
    for upload in uploads:
        images.append((image_add(upload=upload, user=user).pk, ""))
    content.images = [*images, *(content.images or [])]
    return content


def _images_of(page: ArticlePage) -> list[tuple[int, str]]:
    """The image blocks of a body as (image id, caption), in order."""
    images = []
    for block in page.body.raw_data:
        value = block.get("value")
        if block.get("type") == "image" and isinstance(value, dict) and value.get("image"):
            images.append((value["image"], value.get("caption") or ""))
    return images


def _apply_content(page: ArticlePage, content: ArticleContent) -> None:
    page.title = content.title.strip()
    page.draft_title = page.title
    page.knowledge_type = content.knowledge_type
    page.summary = content.summary.strip()
    page.body = body_from_content(content)
    page.tags.set(content.tags or [])


def article_draft_create(
    *,
    author,
    content: ArticleContent,
    audience: str = AUDIENCE_INTERNAL,
    uploads=(),
    images=(),
    submit=True,
) -> ArticlePage:
    """An employee's draft article for their own department, in the internal or the external
    knowledge base; not live until the knowledge editors approve it. With `submit`, it goes to
    the editors' review at once."""
    employee = employee_of(author)
    if employee is None:
        raise Refusal(_("Only employees can contribute articles."), status=403)
    parent = knowledge_index_for(audience)
    with transaction.atomic():
        page = ArticlePage(
            department_id=employee.department_id,
            owner=author,
            live=False,
            review_by=timezone.localdate() + DEFAULT_REVIEW_PERIOD,
        )
        _apply_content(page, _with_uploaded_images(content, images, author))
        page.slug = _unique_slug(parent, page.title)
        parent.add_child(instance=page)
        page.save_revision(user=author, log_action=True)
        for upload in uploads:
            attachment_add(article=page, upload=upload, user=author)
        audit_record(actor=author, action="knowledge.article_draft", target=page)
        if submit:
            contribution_submit(article=page, user=author)
    return page


def article_draft_revise(
    *, author, article: ArticlePage, content: ArticleContent, uploads=(), images=(), submit=True
) -> ArticlePage:
    """The author's new revision of a contribution that is not live yet; with `submit` it goes
    (back) to review: a new review, or the review that asked for changes resumed. The images
    of the last revision stay, new ones follow them."""
    if not may_revise(author, article):
        raise Refusal(_("This article can no longer be changed here."), status=409)
    with transaction.atomic():
        page = article.get_latest_revision_as_object()
        kept = _images_of(page)
        _apply_content(page, _with_uploaded_images(content, images, author, kept=kept))
        page.save_revision(user=author, log_action=True)
        for upload in uploads:
            attachment_add(article=article, upload=upload, user=author)
        audit_record(actor=author, action="knowledge.article_revise", target=article)
        if submit:
            contribution_submit(article=article, user=author)
    return article


def contribution_submit(*, article: ArticlePage, user) -> None:
    """Send the article to the editors' review: resume a review waiting for changes, start one
    otherwise. An article already in review stays there (its new revision is what they see)."""
    from wagtail.models import WorkflowState

    with transaction.atomic():
        state = (
            WorkflowState.objects.active()
            .filter(base_content_type_id=article.get_base_content_type().pk)
            .filter(object_id=str(article.pk))
            .first()
        )
        if state is not None:
            if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                state.resume(user=user)
            return
        workflow = article.get_workflow()
        if workflow is None:
            raise Refusal(_("The knowledge review is not set up yet. Tell the admin."), status=409)
        workflow.start(article, user)
        audit_record(actor=user, action="knowledge.article_submit", target=article)


def contribution_decline(*, task_state, user, comment: str | None) -> None:
    """An editor rejects a contribution outright: the review ends, the article stays a draft
    that its author can no longer submit, and the author is told why."""
    with transaction.atomic():
        workflow_state = task_state.workflow_state
        task_state.reject(user=user, update=False, comment=comment or "")
        workflow_state.cancel(user=user)
        article = ArticlePage.objects.get(pk=workflow_state.object_id)
        ArticlePage.objects.filter(pk=article.pk).update(rejected_at=timezone.now())
        audit_record(
            actor=user, action="knowledge.article_reject", target=article, reason=comment or ""
        )
        contribution_notify(article=article, event="rejected", comment=comment or "")


NOTICE_SUBJECTS = {
    "approved": "您的知识文章已发布 / Your knowledge article is published: %(title)s",
    "changes": "您的知识文章需要修改 / Changes requested to your knowledge article: %(title)s",
    "rejected": "您的知识文章未被采纳 / Your knowledge article was not accepted: %(title)s",
}


def contribution_notify(*, article: ArticlePage, event: str, comment: str = "") -> None:
    """Mail the author what the editors decided (queued when the transaction commits)."""
    author = article.owner
    if author is None or not author.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "knowledge/email/decision.txt",
            {
                "article": article,
                "event": event,
                "comment": comment,
                "mine_url": settings.INTRANET_BASE_URL.rstrip("/") + "/knowledge/mine/",
            },
        )
    subject = NOTICE_SUBJECTS[event] % {"title": article.title}
    transaction.on_commit(
        partial(email_send.enqueue, subject=subject, body=body, to=[author.email])
    )


def article_view_count(*, article: ArticlePage) -> None:
    """One more view: a single UPDATE, no revision, no index update (written out:
    `knowledge.article_sql.view_count_add`)."""
    from knowledge.article_sql import view_count_add

    view_count_add(article_id=article.pk)


def article_vote(*, article: ArticlePage, user, helpful: bool, comment: str = "") -> HelpfulVote:
    """A reader's "Was this helpful?" answer; answering again changes the earlier answer (one
    vote per reader and article, which the database enforces). The counters on the article
    follow in the same transaction."""
    with transaction.atomic():
        vote = HelpfulVote.objects.select_for_update().filter(article=article, user=user).first()
        if vote is None:
            try:
                with transaction.atomic():
                    vote = HelpfulVote.objects.create(
                        article=article, user=user, helpful=helpful, comment=comment
                    )
            except IntegrityError:
                # A second submit raced the first: the first one counts.
                return HelpfulVote.objects.get(article=article, user=user)
            field = "helpful_yes" if helpful else "helpful_no"
            ArticlePage.objects.filter(pk=article.pk).update(**{field: F(field) + 1})
            return vote
        if vote.helpful != helpful:
            old, new = ("helpful_no", "helpful_yes") if helpful else ("helpful_yes", "helpful_no")
            ArticlePage.objects.filter(pk=article.pk).update(**{old: F(old) - 1, new: F(new) + 1})
        vote.helpful = helpful
        vote.comment = comment
        vote.created_at = timezone.now()
        vote.save(update_fields=["helpful", "comment", "created_at"])
        return vote


def attachment_add(*, article: ArticlePage, upload, user) -> ArticleAttachment:
    """Store an uploaded file with the article; its text is extracted by the worker."""
    attachment = ArticleAttachment(
        article=article,
        title=upload.name[:255],
        file=upload,
        filename=upload.name[:255],
        size=upload.size,
        uploaded_by=user,
    )
    attachment.save()
    transaction.on_commit(partial(attachment_extract_text.enqueue, attachment_id=attachment.pk))
    return attachment
