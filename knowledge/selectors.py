"""Reads of the knowledge base that depend on who asks and on which face.

An article is seen on a face only when it is live, lies under that face's site (internal
articles under the intranet's, external ones under the extranet's) and its view restrictions
let the user in: `portal.search.visibility.pages_visible_to`, the same rule the search applies.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from haystack.query import SearchQuerySet
from wagtail.models import Page, PageViewRestriction

from knowledge.blocks import body_plain_text
from knowledge.models import (
    ArticleAttachment,
    ArticlePage,
    HelpfulVote,
    KnowledgeType,
    RelatedArticle,
)
from knowledge.permissions import is_knowledge_editor
from portal.models import Department
from portal.search.highlight import Highlighter
from portal.search.registry import connection_for_face
from portal.search.visibility import pages_visible_to
from portal.sites import site_for_face

SORTS = {
    "newest": ("-first_published_at", "-pk"),
    "helpful": ("-helpful_yes", "-first_published_at", "-pk"),
    "views": ("-view_count", "-first_published_at", "-pk"),
}
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
# attachments and related articles, the knowledge base's path) is cached under a generation
# that `knowledge.services.articles_changed` renews whenever an article is saved, published,
# unpublished, moved or deleted, an attachment changes, or a view restriction is set anywhere.
GENERATION_KEY = "knowledge:generation"
SHARED_SECONDS = 600


def articles_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def _shared_key(*parts) -> str:
    raw = ":".join(str(part) for part in parts)
    return "knowledge:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _shared_path(face: str) -> str | None:
    """The path prefix of the face's knowledge base when no page anywhere has a view
    restriction (every reader of the face then sees the same articles); None otherwise."""
    key = _shared_key("root", face, articles_generation())
    found = cache.get(key)
    if found is None:
        restricted = PageViewRestriction.objects.exists()
        found = ("", "restricted") if restricted else (_knowledge_root_path(face) or "", "shared")
        cache.set(key, found, SHARED_SECONDS)
    path, kind = found
    return path if kind == "shared" else None


def may_use_knowledge(user, face: str) -> bool:
    """Employees use the internal knowledge base, retailers the external one."""
    if not user.is_authenticated:
        return False
    return user.is_retailer if face == "extranet" else user.is_employee


def articles_visible_to(*, user, face: str, queryset: QuerySet | None = None) -> QuerySet:
    """The articles `user` may read on `face`; none for someone who does not use that face."""
    if queryset is None:
        queryset = ArticlePage.objects.all()
    if not may_use_knowledge(user, face):
        return queryset.none()
    index_path = _shared_path(face)
    if index_path is None:
        return pages_visible_to(user=user, queryset=queryset, face=face)
    # No page anywhere is restricted (the usual case): the face's knowledge base as a path
    # prefix is the same answer without a correlated subquery per row.
    if not index_path:
        return queryset.none()
    return queryset.filter(live=True, path__startswith=index_path)


def _knowledge_root_path(face: str) -> str | None:
    """The path of the face's knowledge base if it lies in the face's site (one query)."""
    from knowledge.models import ExternalKnowledgeIndexPage, KnowledgeIndexPage

    model = ExternalKnowledgeIndexPage if face == "extranet" else KnowledgeIndexPage
    site = site_for_face(face)
    if site is None:
        return None
    root = Page.objects.filter(pk=site.root_page_id).values("path")[:1]
    return (
        model.objects.filter(path__startswith=Subquery(root)).values_list("path", flat=True).first()
    )


def article_visible_or_404(*, user, face: str, pk: int) -> ArticlePage:
    article = articles_visible_to(user=user, face=face).filter(pk=pk).first()
    if article is None:
        raise Http404("No such article.")
    return article


@dataclass(frozen=True)
class Facet:
    """One entry of a browse axis: what it is, its `?type=`/`?department=` value, its count."""

    value: str
    label: str
    count: int


def _type_facets(types, type_counts) -> list[Facet]:
    return [
        Facet(value=t.slug, label=t.display_name, count=type_counts.get(t.pk, 0)) for t in types
    ]


def _department_facets(departments, department_counts) -> list[Facet]:
    return [
        Facet(value=d.code, label=d.display_name, count=department_counts[d.pk])
        for d in departments
    ]


@dataclass
class Browse:
    page: PaginatorPage
    types: list[Facet]
    departments: list[Facet]
    knowledge_type: KnowledgeType | None
    department: Department | None
    tag: str
    sort: str
    total: int


def _listed(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("department", "knowledge_type").only(
        "id",
        "title",
        "url_path",
        "path",
        "depth",
        "summary",
        "first_published_at",
        "last_published_at",
        "view_count",
        "helpful_yes",
        "helpful_no",
        "department__name",
        "department__name_en",
        "knowledge_type__name",
        "knowledge_type__name_en",
        "knowledge_type__slug",
    )


def articles_browse(
    *,
    user,
    face: str,
    type_slug: str = "",
    department_code: str = "",
    tag: str = "",
    sort: str = "newest",
    page_number=1,
    per_page: int = PER_PAGE,
) -> Browse:
    """The articles `user` may read on `face`, narrowed by knowledge type, department and tag,
    in the chosen order, one page at a time, with the count of each type (within the chosen
    department) and of each department (within the chosen type). An unknown type or
    department narrows to nothing; an unknown order is "newest"."""
    visible = articles_visible_to(user=user, face=face)
    types = list(KnowledgeType.objects.all())
    knowledge_type = next((t for t in types if t.slug == type_slug), None) if type_slug else None
    department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )
    if tag:
        visible = visible.filter(tags__name=tag)
    by_type = visible
    by_department = visible
    if type_slug:
        by_department = by_department.filter(knowledge_type=knowledge_type)
    if department_code:
        by_type = by_type.filter(department=department)

    def count():
        type_counts = dict(
            by_type.order_by()
            .values_list("knowledge_type")
            .annotate(n=Count("pk"))
            .values_list("knowledge_type", "n")
        )
        department_counts = dict(
            by_department.order_by()
            .values_list("department")
            .annotate(n=Count("pk"))
            .values_list("department", "n")
        )
        return type_counts, department_counts

    if may_use_knowledge(user, face) and _shared_path(face) is not None:
        # The same for every reader of the face: counted once per generation.
        key = _shared_key("counts", face, articles_generation(), type_slug, department_code, tag)
        counted = cache.get(key)
        if counted is None:
            counted = count()
            cache.set(key, counted, SHARED_SECONDS)
        type_counts, department_counts = counted
    else:
        type_counts, department_counts = count()
    departments = (
        Department.objects.filter(pk__in=list(department_counts)) if department_counts else []
    )
    if type_slug:
        listed = by_type.filter(knowledge_type=knowledge_type)
        total = type_counts.get(knowledge_type.pk, 0) if knowledge_type else 0
    else:
        listed = by_type
        total = sum(type_counts.values())
    if sort not in SORTS:
        sort = "newest"
    listed = _listed(listed).order_by(*SORTS[sort])
    paginator = Paginator(listed, per_page)
    # Known from the counts (every article has one type): no COUNT over the whole list.
    paginator.count = total
    page = paginator.get_page(page_number)
    return Browse(
        page=page,
        types=_type_facets(types, type_counts),
        departments=_department_facets(departments, department_counts),
        knowledge_type=knowledge_type,
        department=department,
        tag=tag,
        sort=sort,
        total=page.paginator.count,
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


def article_details(*, article: ArticlePage, user, face: str) -> dict:
    """What the article page shows besides the article: its attachments, tags, related
    articles the reader may see, the reader's vote, and whether the reader may see the
    article's workflow in Wagtail admin. What all readers see alike is cached per article
    and revision until the knowledge base changes."""
    if may_use_knowledge(user, face) and _shared_path(face) is not None:
        key = _shared_key(
            "article", face, article.pk, article.latest_revision_id, articles_generation()
        )
        shared = cache.get(key)
        if shared is None:
            shared = _article_shared(article=article, user=user, face=face)
            cache.set(key, shared, SHARED_SECONDS)
    else:
        shared = _article_shared(article=article, user=user, face=face)
    vote = (
        HelpfulVote.objects.filter(article=article, user=user).first()
        if user.is_authenticated
        else None
    )
    return {
        **shared,
        "vote": vote,
        "is_editor": face == "intranet" and is_knowledge_editor(user),
        "kb_urls": URL_NAMES.get(face, URL_NAMES["intranet"]),
        "active_module": "knowledge",
    }


def attachment_for_download(*, user, face: str, pk: int) -> ArticleAttachment:
    """An attachment its article lets the user see on this face; or, on the intranet, one of
    their own contributions (a draft) or any for a knowledge editor. 404 otherwise, alike for
    missing and forbidden."""
    attachment = ArticleAttachment.objects.filter(pk=pk).select_related("article").first()
    if attachment is None or not may_use_knowledge(user, face):
        raise Http404("No such attachment.")
    if articles_visible_to(user=user, face=face).filter(pk=attachment.article_id).exists():
        return attachment
    if face == "intranet" and (attachment.article.owner_id == user.pk or is_knowledge_editor(user)):
        return attachment
    raise Http404("No such attachment.")


# --- contributions ------------------------------------------------------------------------


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


def contributions_of(*, user, page_number=1, per_page: int = PER_PAGE):
    """The author's articles, newest first, each with where it stands: draft, in review,
    changes requested (with the editor's comment), rejected (with the reason) or published.
    Three queries whatever the number of articles."""
    from wagtail.models import TaskState, WorkflowState

    articles = (
        ArticlePage.objects.filter(owner=user)
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


# --- search --------------------------------------------------------------------------------


@dataclass
class KnowledgeHit:
    article: ArticlePage
    title: str
    snippet: str
    url: str


@dataclass
class KnowledgeSearch:
    query: str
    page: PaginatorPage
    hits: list[KnowledgeHit]
    types: list[Facet]
    departments: list[Facet]
    knowledge_type: KnowledgeType | None
    department: Department | None
    total: int
    truncated: bool = False


SEARCH_SECONDS = 60


def _search_candidates(
    *, face: str, query: str, type_filter, department_filter, limit: int
) -> tuple[list[int], bool]:
    """The keys of the articles the face's index finds, best first, at most `limit`, and
    whether there were more."""
    from knowledge.search_indexes import ARTICLE_CONTENT_TYPE

    found = (
        SearchQuerySet(using=connection_for_face(face))
        .auto_query(query)
        .filter(django_ct=ARTICLE_CONTENT_TYPE)
    )
    if type_filter is not None:
        found = found.filter(knowledge_type=type_filter)
    if department_filter is not None:
        found = found.filter(department=department_filter)
    results = list(found[: limit + 1])
    order = []
    for result in results[:limit]:
        try:
            order.append(int(result.pk))
        except (TypeError, ValueError):
            continue
    return order, len(results) > limit


def knowledge_search(
    *,
    user,
    face: str,
    query: str,
    type_slug: str = "",
    department_code: str = "",
    page_number=1,
    per_page: int = PER_PAGE,
) -> KnowledgeSearch:
    """Search the face's index for articles only, narrowed in the index by type and department,
    then to what the database lets the user see; the page shown is highlighted. Counts per
    type and department are of the visible matches. The index's answer is cached for a
    minute (or until the knowledge base changes); visibility is always checked afresh."""

    types = list(KnowledgeType.objects.all())
    knowledge_type = next((t for t in types if t.slug == type_slug), None) if type_slug else None
    department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )
    limit = settings.SEARCH_MAX_CANDIDATES
    key = _shared_key(
        "search", face, articles_generation(), query, type_slug, department_code, limit
    )
    candidates = cache.get(key)
    if candidates is None:
        candidates = _search_candidates(
            face=face,
            query=query,
            type_filter=(knowledge_type.pk if knowledge_type else 0) if type_slug else None,
            department_filter=(department.pk if department else 0) if department_code else None,
            limit=limit,
        )
        # The index's answer only (who may see what is asked of the database below): the same
        # for everybody on the face, kept briefly since the index is updated in the background.
        cache.set(key, candidates, SEARCH_SECONDS)
    order, truncated = candidates
    rows = {}
    if order:
        rows = {
            pk: (type_id, department_id)
            for pk, type_id, department_id in articles_visible_to(
                user=user, face=face, queryset=ArticlePage.objects.filter(pk__in=order)
            ).values_list("pk", "knowledge_type_id", "department_id")
        }
    seen = [pk for pk in order if pk in rows]
    type_counts, department_counts = defaultdict(int), defaultdict(int)
    for pk in seen:
        type_counts[rows[pk][0]] += 1
        department_counts[rows[pk][1]] += 1
    departments = (
        list(Department.objects.filter(pk__in=list(department_counts))) if department_counts else []
    )
    page = Paginator(seen, per_page).get_page(page_number)
    loaded = {
        article.pk: article
        for article in ArticlePage.objects.filter(pk__in=list(page.object_list)).select_related(
            "department", "knowledge_type"
        )
    }
    highlighter = Highlighter(query)
    site = site_for_face(face)
    hits = []
    for pk in page.object_list:
        article = loaded.get(pk)
        if article is None:
            continue
        text = " ".join(part for part in (article.summary, body_plain_text(article.body)) if part)
        hits.append(
            KnowledgeHit(
                article=article,
                title=highlighter.mark(article.title),
                snippet=highlighter.snippet(text),
                url=article.get_url(current_site=site) or "",
            )
        )
    return KnowledgeSearch(
        query=query,
        page=page,
        hits=hits,
        types=_type_facets(types, type_counts),
        departments=_department_facets(departments, department_counts),
        knowledge_type=knowledge_type,
        department=department,
        total=len(seen),
        truncated=truncated,
    )
