"""Lists of the articles a reader narrows down on a face: browsing the knowledge base by type,
department and tag, and searching it, each with the count of matches per type and department.
What every reader of the face sees alike (counts, the search index's answer) is cached under the
knowledge base's generation; who may see which article is always asked of the database."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import get_current_timezone_name, localtime
from django.utils.translation import get_language, ngettext, npgettext
from haystack.query import SearchQuerySet

from knowledge.blocks import body_plain_text
from knowledge.browse_sql import LISTED_FIELDS, ArticleRows
from knowledge.models import ArticlePage, KnowledgeType
from knowledge.permissions import may_use_knowledge
from knowledge.search_indexes import ARTICLE_CONTENT_TYPE
from knowledge.selectors import (
    ARTICLES_GENERATION,
    PER_PAGE,
    SHARED_SECONDS,
    articles_visible_to,
    shared_cache_key,
    shared_root_path,
)
from portal.escaping import text
from portal.models import Department
from portal.names import in_reader_language
from portal.search.highlight import Highlighter
from portal.search.indexes import PageLinks
from portal.search.registry import connection_for_face

SORTS = {
    "newest": ("-first_published_at", "-pk"),
    "helpful": ("-helpful_yes", "-first_published_at", "-pk"),
    "views": ("-view_count", "-first_published_at", "-pk"),
}


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


def _types_of_face(*, user, face: str, generation: int | None = None) -> list[KnowledgeType]:
    """The knowledge types listed on `face`: every type on the intranet (its editors file into
    them); on the extranet only the types that hold an article a retailer may read, so that the
    factory's internal categories (raw-material identification, equipment maintenance, …) never
    show there, not even with a count of 0."""
    types = list(KnowledgeType.objects.all())
    if face != "extranet":
        return types

    def used():
        return set(
            articles_visible_to(user=user, face=face, generation=generation)
            .order_by()
            .values_list("knowledge_type", flat=True)
            .distinct()
        )

    if may_use_knowledge(user, face) and shared_root_path(face, generation) is not None:
        key = shared_cache_key("types", face, generation or ARTICLES_GENERATION.current())
        found = cache.get(key)
        if found is None:
            found = used()
            cache.set(key, found, SHARED_SECONDS)
    else:
        found = used()
    return [t for t in types if t.pk in found]


def _department_facets(departments, department_counts) -> list[Facet]:
    return [
        Facet(value=d.code, label=d.display_name, count=department_counts[d.pk])
        for d in departments
    ]


@dataclass
class Browse:
    page: PaginatorPage
    articles: list
    types: list[Facet]
    departments: list[Facet]
    knowledge_type: KnowledgeType | None
    department: Department | None
    tag: str
    sort: str
    total: int


def _listed(queryset: QuerySet) -> QuerySet:
    """Rows (named tuples, not pages: building twenty Wagtail pages cost more than the query)
    with what the browse list shows."""
    return queryset.values_list(*LISTED_FIELDS, named=True)


def _page_url(links: PageLinks, url_path: str) -> str:
    """Wagtail's URL of the article at `url_path` (all `Page.get_url` reads of a page), without
    building the page."""
    page = ArticlePage.__new__(ArticlePage)
    page.url_path = url_path
    return links.url(page)


# axes key -> the axes cached under it, in this process: a key names its generation, whose
# values never change, so a process that read them once needs not read them again.
_AXES: dict[str, tuple] = {}


def _shared_axes(key: str):
    found = _AXES.get(key)
    if found is None:
        found = cache.get(key)
        if found is not None:
            _remember_axes(key, found)
    return found


def _remember_axes(key: str, axes: tuple) -> None:
    if len(_AXES) > 256:
        _AXES.clear()
    _AXES[key] = axes


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
    generation = ARTICLES_GENERATION.current()
    shared = may_use_knowledge(user, face) and shared_root_path(face, generation) is not None
    axes_key = shared_cache_key("axes", face, generation, type_slug, department_code, tag)
    # What every reader of the face sees alike: the types, the counts and the departments
    # counted (KnowledgeType and Department changes renew the generation too).
    axes = _shared_axes(axes_key) if shared else None
    types = axes[0] if axes else _types_of_face(user=user, face=face, generation=generation)
    knowledge_type = next((t for t in types if t.slug == type_slug), None) if type_slug else None
    department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )

    def narrowed():
        """The visible articles of the chosen department (to count by type) and of the
        chosen type (to count by department), each with the chosen tag."""
        visible = articles_visible_to(user=user, face=face, generation=generation)
        if tag:
            visible = visible.filter(tags__name=tag)
        by_type = visible
        by_department = visible
        if type_slug:
            by_department = by_department.filter(knowledge_type=knowledge_type)
        if department_code:
            by_type = by_type.filter(department=department)
        return by_type, by_department

    if axes:
        _types, type_counts, department_counts, departments = axes
    else:
        by_type, by_department = narrowed()
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
        departments = (
            list(Department.objects.filter(pk__in=list(department_counts)))
            if department_counts
            else []
        )
        if shared:
            axes = (types, type_counts, department_counts, departments)
            cache.set(axes_key, axes, SHARED_SECONDS)
            _remember_axes(axes_key, axes)
    if type_slug:
        total = type_counts.get(knowledge_type.pk, 0) if knowledge_type else 0
    else:
        total = sum(type_counts.values())
    if sort not in SORTS:
        sort = "newest"
    if shared:
        # The same rows as the ORM's query below, without building it (browse_sql).
        listed = ArticleRows(
            root_path=shared_root_path(face, generation),
            total=total,
            sort=sort,
            type_id=knowledge_type.pk if knowledge_type else None,
            department_id=department.pk if department else None,
            tag=tag,
        )
    else:
        by_type, _by_department = narrowed()
        if type_slug:
            by_type = by_type.filter(knowledge_type=knowledge_type)
        listed = _listed(by_type).order_by(*SORTS[sort])
    paginator = Paginator(listed, per_page)
    # Known from the counts (every article has one type): no COUNT over the whole list.
    paginator.count = total
    page = paginator.get_page(page_number)
    if shared:
        type_facets, department_facets = _shared_facets(
            axes_key, types, type_counts, departments, department_counts
        )
    else:
        type_facets = _type_facets(types, type_counts)
        department_facets = _department_facets(departments, department_counts)
    return Browse(
        page=page,
        articles=list(page.object_list),
        types=type_facets,
        departments=department_facets,
        knowledge_type=knowledge_type,
        department=department,
        tag=tag,
        sort=sort,
        total=page.paginator.count,
    )


# (axes key, language) -> the facets of those axes in that language, in this process (as
# `_AXES`: the key names its generation).
_FACETS: dict[tuple[str, str], tuple[list[Facet], list[Facet]]] = {}


def _shared_facets(axes_key, types, type_counts, departments, department_counts):
    key = (axes_key, get_language())
    found = _FACETS.get(key)
    if found is None:
        found = (
            _type_facets(types, type_counts),
            _department_facets(departments, department_counts),
        )
        if len(_FACETS) > 256:
            _FACETS.clear()
        _FACETS[key] = found
    return found


def _summary_html(summary: str) -> str:
    """`<p class="snippet">{{ summary|truncatechars:160 }}</p>`, or nothing without a summary."""
    if not summary:
        return ""
    # What `truncatechars:160` gives, without its loop when the summary is short.
    summary = (
        unicodedata.normalize("NFC", summary)
        if len(summary) <= 160
        else Truncator(summary).chars(160)
    )
    return f'<p class="snippet">{text(summary)}</p>'


def _item_html(
    *, url, title_html, kind, department, published_at, view_count, helpful_yes, snippet_html
) -> str:
    """One `<li class="kb-item">` of a list of articles; `title_html` and `snippet_html` are
    already escaped (or highlighted), every other value is escaped here."""
    published = ""
    if published_at:
        at = localtime(published_at)
        # `|date:"c"` and `|date:"Y-m-d"` (Django's `c` is `isoformat()`).
        published = (
            f' · <time datetime="{at.isoformat()}">{at.year:04d}-{at.month:02d}-{at.day:02d}</time>'
        )
    views = npgettext("knowledge", "%(counter)s view", "%(counter)s views", view_count) % {
        "counter": view_count
    }
    helpful = ngettext(
        "%(counter)s found it helpful", "%(counter)s found it helpful", helpful_yes
    ) % {"counter": helpful_yes}
    return (
        '\n      <li class="kb-item">\n'
        f'        <h3 class="result-title"><a href="{text(url)}">{title_html}</a></h3>\n'
        f'        <p class="kb-meta"><span class="kind">'
        f"{text(kind)}</span> · {text(department)}{published}\n"
        f"          · {views}\n"
        f"          · {helpful}</p>\n"
        f"        {snippet_html}\n"
        "      </li>\n      "
    )


def _article_item_html(links: PageLinks, article) -> str:
    return _item_html(
        url=_page_url(links, article.url_path),
        title_html=text(article.title),
        kind=in_reader_language(article.knowledge_type__name, article.knowledge_type__name_en),
        department=in_reader_language(article.department__name, article.department__name_en),
        published_at=article.first_published_at,
        view_count=article.view_count,
        helpful_yes=article.helpful_yes,
        snippet_html=_summary_html(article.summary),
    )


# (what an item depends on besides its row, the row) -> the item's HTML, in this process. The
# key holds every input of `_article_item_html` (the row's values, the language, the time zone,
# the sites' root paths and the URL configuration), so an entry is never stale: a changed
# count or title is another key. Readers of a list see mostly the same rows.
_ITEMS: dict[tuple, str] = {}
ITEMS_KEPT = 4096


def article_items_html(articles, *, face: str) -> SafeString:
    """The `<li>` of each article of a browsed list, as `knowledge/index.html` lays them out,
    built here rather than by a template loop: some twenty tags and lookups per row were most of
    the page's time. An item built once is kept (`_ITEMS`)."""
    if not articles:
        return mark_safe("")
    links = PageLinks(face)
    setting = (
        face,
        get_language(),
        get_current_timezone_name(),
        tuple(ArticlePage._get_site_root_paths(ArticlePage.__new__(ArticlePage), links)),
        str(get_urlconf() or settings.ROOT_URLCONF),
        get_script_prefix(),
    )
    items = []
    for article in articles:
        key = (setting, tuple(article))
        item = _ITEMS.get(key)
        if item is None:
            item = _article_item_html(links, article)
            if len(_ITEMS) >= ITEMS_KEPT:
                _ITEMS.clear()
            _ITEMS[key] = item
        items.append(item)
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped


def hit_items_html(hits) -> SafeString:
    """The `<li>` of each hit of a knowledge search, laid out as the browsed list's: the
    highlighted title and snippet (escaped by the highlighter), else the summary."""
    items = []
    for hit in hits:
        article = hit.article
        snippet = (
            f'<p class="snippet">{conditional_escape(hit.snippet)}</p>'
            if hit.snippet
            else _summary_html(article.summary)
        )
        items.append(
            _item_html(
                url=hit.url,
                title_html=conditional_escape(hit.title or article.title),
                kind=article.knowledge_type.display_name,
                department=article.department.display_name,
                published_at=article.first_published_at,
                view_count=article.view_count,
                helpful_yes=article.helpful_yes,
                snippet_html=snippet,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped


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


# What a hit shows (title, snippet, metadata, link): the rest of a Wagtail page is not loaded.
HIT_FIELDS = (
    "title",
    "url_path",
    "summary",
    "body",
    "first_published_at",
    "view_count",
    "helpful_yes",
    "department__name",
    "department__name_en",
    "knowledge_type__name",
    "knowledge_type__name_en",
)


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
    types = _types_of_face(user=user, face=face)
    knowledge_type = next((t for t in types if t.slug == type_slug), None) if type_slug else None
    department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )
    limit = settings.SEARCH_MAX_CANDIDATES
    key = shared_cache_key(
        "search", face, ARTICLES_GENERATION.current(), query, type_slug, department_code, limit
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
        for article in ArticlePage.objects.filter(pk__in=list(page.object_list))
        .select_related("department", "knowledge_type")
        .only(*HIT_FIELDS)
    }
    highlighter = Highlighter(query)
    links = PageLinks(face)
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
                url=links.url(article),
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
