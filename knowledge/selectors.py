"""Reads of the knowledge base that depend on who asks and on which face.

An article is seen on a face only when it is live, lies under that face's site (internal
articles under the intranet's, external ones under the extranet's) and its view restrictions
let the user in: `portal.search.visibility.pages_visible_to`, the same rule the search applies.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from knowledge.article_sql import vote_of
from knowledge.models import (
    ArticleAttachment,
    ArticlePage,
    ExternalKnowledgeIndexPage,
    HelpfulVote,
    KnowledgeIndexPage,
    KnowledgeType,
    RelatedArticle,
)
from knowledge.permissions import is_knowledge_editor, may_use_knowledge
from portal.generations import Generation
from portal.search.visibility import pages_visible_to
from portal.sites import site_for_face

PER_PAGE = 20
# The URL names of each face's knowledge pages, for templates shared by both faces.
URL_NAMES = {
    "intranet": {
        "index": "knowledge:index",
        "search": "knowledge:search",
        "vote": "knowledge:vote",
        "attachment": "knowledge:attachment",
    },
    "extranet": {
        "index": "shop:knowledge",
        "search": "shop:knowledge_search",
        "vote": "shop:knowledge_vote",
        "attachment": "shop:knowledge_attachment",
    },
}
RELATED_COUNT = 5
# What every reader of a face sees alike (counts per type and department, an article's tags,
# attachments and related articles, the knowledge base's path, the search index's answers) is
# cached under a generation that `knowledge.services.articles_changed` renews whenever an
# article is saved, published, unpublished, moved or deleted, an attachment changes, or a view
# restriction is set anywhere.
ARTICLES_GENERATION = Generation("knowledge:generation")
SHARED_SECONDS = 600


def shared_cache_key(*parts) -> str:
    """A cache key of something every reader of a face sees alike; `parts` name it and
    include the generation."""
    raw = ":".join(str(part) for part in parts)
    return "knowledge:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


# (face, generation) -> what `shared_root_path` found under that generation, in this process: a
# value of a generation never changes, so a list reading the generation once needs no more.
_ROOTS: dict[tuple[str, int], tuple[str, str]] = {}


def shared_root_path(face: str, generation: int | None = None) -> str | None:
    """The path prefix of the face's knowledge base when no page anywhere has a view
    restriction (every reader of the face then sees the same articles); None otherwise.
    `generation` is `ARTICLES_GENERATION.current()` when the caller has read it already."""
    if generation is None:
        generation = ARTICLES_GENERATION.current()
    found = _ROOTS.get((face, generation))
    if found is None:
        key = shared_cache_key("root", face, generation)
        found = cache.get(key)
        if found is None:
            restricted = PageViewRestriction.objects.exists()
            found = (
                ("", "restricted") if restricted else (_knowledge_root_path(face) or "", "shared")
            )
            cache.set(key, found, SHARED_SECONDS)
        if len(_ROOTS) > 16:
            _ROOTS.clear()
        _ROOTS[(face, generation)] = found
    path, kind = found
    return path if kind == "shared" else None


def articles_visible_to(
    *, user, face: str, queryset: QuerySet | None = None, generation: int | None = None
) -> QuerySet:
    """The articles `user` may read on `face`; none for someone who does not use that face."""
    if queryset is None:
        queryset = ArticlePage.objects.all()
    if not may_use_knowledge(user, face):
        return queryset.none()
    index_path = shared_root_path(face, generation)
    if index_path is None:
        return pages_visible_to(user=user, queryset=queryset, face=face)
    # No page anywhere is restricted (the usual case): the face's knowledge base as a path
    # prefix is the same answer without a correlated subquery per row.
    if not index_path:
        return queryset.none()
    return queryset.filter(live=True, path__startswith=index_path)


def _knowledge_root_path(face: str) -> str | None:
    """The path of the face's knowledge base if it lies in the face's site (one query)."""
    model = ExternalKnowledgeIndexPage if face == "extranet" else KnowledgeIndexPage
    site = site_for_face(face)
    if site is None:
        return None
    root = Page.objects.filter(pk=site.root_page_id).values("path")[:1]
    return (
        model.objects.filter(path__startswith=Subquery(root)).values_list("path", flat=True).first()
    )


@dataclass(frozen=True)
class Link:
    """A related article as the page lists it."""

    pk: int
    title: str
    url: str


@dataclass(frozen=True)
class AttachmentItem:
    pk: int
    title: str
    size: int


def _article_shared(*, article: ArticlePage, user, face: str) -> dict:
    """The parts of the article page that every reader of the face sees alike: attachments,
    tag names and related articles (the editors' choice first, then others of the same type)."""
    attachments = [
        AttachmentItem(pk, title, size)
        for pk, title, size in ArticleAttachment.objects.filter(article=article).values_list(
            "id", "title", "size"
        )
    ]
    chosen_ids = list(
        RelatedArticle.objects.filter(page=article)
        .order_by("sort_order")
        .values_list("article_id", flat=True)
    )
    visible = articles_visible_to(user=user, face=face)
    related = []
    if chosen_ids:
        found = {a.pk: a for a in visible.filter(pk__in=chosen_ids).only("id", "title", "url_path")}
        related = [found[pk] for pk in chosen_ids if pk in found]
    if len(related) < RELATED_COUNT:
        more = (
            visible.filter(knowledge_type_id=article.knowledge_type_id)
            .exclude(pk__in=[article.pk, *chosen_ids])
            .order_by("-helpful_yes", "-first_published_at")
            .only("id", "title", "url_path", "path", "depth")[: RELATED_COUNT - len(related)]
        )
        related.extend(more)
    site = site_for_face(face)
    return {
        "attachments": attachments,
        "related_articles": [
            Link(a.pk, a.title, a.get_url(current_site=site) or "") for a in related
        ],
        "tags": list(article.tags.values_list("name", flat=True)),
    }


# The shared parts of articles as `article_details` cached them, in this process too: the key
# names the generation and the revision, so a kept value never changes.
_ARTICLES_SHARED: dict[str, dict] = {}


def article_details(
    *, article: ArticlePage, user, face: str, generation: int | None = None, preview: bool = False
) -> dict:
    """What the article page shows besides the article: its attachments, tags, related
    articles the reader may see, the reader's vote, and whether the reader may see the
    article's workflow in Wagtail admin. What all readers see alike is cached per article
    and revision until the knowledge base changes, except in a preview (a draft shown with
    the live page's revision). `generation` is `ARTICLES_GENERATION.current()` when the
    caller has read it already."""
    if generation is None:
        generation = ARTICLES_GENERATION.current()
    if (
        not preview
        and may_use_knowledge(user, face)
        and shared_root_path(face, generation) is not None
    ):
        key = shared_cache_key("article", face, article.pk, article.latest_revision_id, generation)
        shared = _ARTICLES_SHARED.get(key)
        if shared is None:
            shared = cache.get(key)
            if shared is None:
                shared = _article_shared(article=article, user=user, face=face)
                cache.set(key, shared, SHARED_SECONDS)
            if len(_ARTICLES_SHARED) >= 1024:
                _ARTICLES_SHARED.clear()
            _ARTICLES_SHARED[key] = shared
    else:
        shared = _article_shared(article=article, user=user, face=face)
    vote = vote_of(article_id=article.pk, user_id=user.pk) if user.is_authenticated else None
    return {
        **shared,
        "vote": vote,
        "is_editor": face == "intranet" and is_knowledge_editor(user),
        "kb_urls": URL_NAMES.get(face, URL_NAMES["intranet"]),
        "active_module": "knowledge",
    }


def attachments_visible_to(*, user, face: str) -> QuerySet:
    """The attachments `user` may download on `face`: those of the articles they may read
    there; on the intranet also those of their own contributions (drafts), and every one for a
    knowledge editor."""
    if not may_use_knowledge(user, face):
        return ArticleAttachment.objects.none()
    if face == "intranet" and is_knowledge_editor(user):
        return ArticleAttachment.objects.all()
    visible = Q(article__in=articles_visible_to(user=user, face=face).values("pk"))
    if face == "intranet":
        visible |= Q(article__owner=user)
    return ArticleAttachment.objects.filter(visible)


# Contributions and the editors' view


@dataclass
class Contribution:
    article: ArticlePage
    status: str
    comment: str = ""
    decided_by: str = ""


def person_name(user) -> str:
    """A user's name from a row fetched with `select_related("…__employee")`: no query."""
    if user is None:
        return ""
    try:
        return user.employee.name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.username


def articles_owned_by(*, user) -> QuerySet:
    """The articles `user` wrote (their contributions), live or not."""
    return ArticlePage.objects.filter(owner=user)


def contributions_of(*, user, page_number=1, per_page: int = PER_PAGE):
    """The author's articles, newest first, each with where it stands: draft, in review,
    changes requested (with the editor's comment), rejected (with the reason) or published.
    Three queries whatever the number of articles."""
    from wagtail.models import TaskState, WorkflowState

    articles = (
        articles_owned_by(user=user)
        .select_related("knowledge_type", "department")
        .order_by("-latest_revision_created_at", "-pk")
    )
    page = Paginator(articles, per_page).get_page(page_number)
    ids = [str(article.pk) for article in page.object_list]
    states = {}
    if ids:
        for state in (
            WorkflowState.objects.filter(object_id__in=ids, base_content_type__model="page")
            .select_related("current_task_state__finished_by__employee")
            .order_by("created_at", "pk")
        ):
            states[state.object_id] = state  # the latest wins
    contributions = []
    for article in page.object_list:
        state = states.get(str(article.pk))
        task_state = state.current_task_state if state is not None else None
        comment = task_state.comment if task_state is not None else ""
        decided_by = ""
        if task_state is not None and task_state.finished_by is not None:
            decided_by = person_name(task_state.finished_by)
        if article.live:
            status = "published"
        elif article.rejected_at is not None:
            status = "rejected"
        elif state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            status, comment, decided_by = "review", "", ""
        elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            status = "changes"
        else:
            status, comment, decided_by = "draft", "", ""
        if task_state is not None and task_state.status == TaskState.STATUS_APPROVED:
            comment = task_state.comment
        contributions.append(Contribution(article, status, comment, decided_by))
    return page, contributions


def overdue_articles(*, user, limit: int = 200) -> list[ArticlePage]:
    """Live articles whose review-by date has passed: every one for the knowledge editors, the
    user's own for everybody else. Oldest review date first."""
    queryset = ArticlePage.objects.live().filter(review_by__lt=timezone.localdate())
    if not is_knowledge_editor(user):
        queryset = queryset.filter(owner=user)
    return list(
        queryset.select_related("department", "knowledge_type", "owner__employee").order_by(
            "review_by", "pk"
        )[:limit]
    )


@dataclass
class Report:
    page: PaginatorPage
    totals: dict
    by_type: list[dict] = field(default_factory=list)
    comments: list[HelpfulVote] = field(default_factory=list)


def editors_report(*, sort: str = "views", page_number=1, per_page: int = 50) -> Report:
    """Views and helpful votes of every live article (both faces), the totals per type, and
    the latest comments readers left with their votes."""
    articles = ArticlePage.objects.live()
    order = {
        "views": ("-view_count", "pk"),
        "helpful": ("-helpful_yes", "pk"),
        "unhelpful": ("-helpful_no", "pk"),
    }.get(sort, ("-view_count", "pk"))
    listed = (
        articles.select_related("department", "knowledge_type")
        .only(
            "id",
            "title",
            "url_path",
            "path",
            "view_count",
            "helpful_yes",
            "helpful_no",
            "review_by",
            "department__name",
            "department__name_en",
            "knowledge_type__name",
            "knowledge_type__name_en",
        )
        .order_by(*order)
    )
    page = Paginator(listed, per_page).get_page(page_number)

    totals = articles.aggregate(
        articles=Count("pk"),
        views=Sum("view_count"),
        yes=Sum("helpful_yes"),
        no=Sum("helpful_no"),
    )
    rows = (
        articles.order_by()
        .values("knowledge_type")
        .annotate(
            articles=Count("pk"),
            views=Sum("view_count"),
            yes=Sum("helpful_yes"),
            no=Sum("helpful_no"),
        )
    )
    names = {t.pk: t.display_name for t in KnowledgeType.objects.all()}
    by_type = [{**row, "name": names.get(row["knowledge_type"], "")} for row in rows]
    comments = list(
        HelpfulVote.objects.exclude(comment="")
        .select_related("article", "user__employee")
        .order_by("-created_at")[:20]
    )
    return Report(page=page, totals=totals, by_type=by_type, comments=comments)
