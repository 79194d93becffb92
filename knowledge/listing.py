"""Lists of the articles a reader narrows down on a face: browsing the knowledge base by type,
department and tag, with the count of matches per type and department, and the items of those
lists and of the search's hits (`search_hits`). What every reader of the face sees alike
(counts, the knowledge types) is cached under the knowledge base's generation; who may see
which article is always asked of the database."""

import unicodedata
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

from knowledge.browse_sql import LISTED_FIELDS, ArticleRows
from knowledge.models import ArticlePage, KnowledgeType
from knowledge.permissions import may_use_knowledge
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
from portal.search.indexes import PageLinks

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


# Per process, under the knowledge base's generation (which every change of a type renews, so
# that a value kept under one never changes): the knowledge types, and the keys of those used
# on the extranet (under `shared_cache_key("types", face, generation)`).
_TYPES: dict[int, list[KnowledgeType]] = {}
_USED_TYPES: dict[str, set[int]] = {}
KEPT = 1024


def _keep(memo: dict, key, value, kept: int = KEPT):
    """`memo[key] = value` (a memo of this process, emptied when it holds `kept`); `value`."""
    if len(memo) >= kept:
        memo.clear()
    memo[key] = value
    return value


def _all_types(generation: int) -> list[KnowledgeType]:
    found = _TYPES.get(generation)
    if found is None:
        found = _keep(_TYPES, generation, list(KnowledgeType.objects.all()), 16)
    return found


def _type_facets(types, type_counts) -> list[Facet]:
    return [
        Facet(value=t.slug, label=t.display_name, count=type_counts.get(t.pk, 0)) for t in types
    ]


def _types_of_face(*, user, face: str, generation: int | None = None) -> list[KnowledgeType]:
    """The knowledge types listed on `face`: every type on the intranet (its editors file into
    them); on the extranet only the types that hold an article a retailer may read, so that the
    factory's internal categories (raw-material identification, equipment maintenance, …) never
    show there, not even with a count of 0."""
    if generation is None:
        generation = ARTICLES_GENERATION.current()
    types = _all_types(generation)
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
        key = shared_cache_key("types", face, generation)
        found = _USED_TYPES.get(key)
        if found is None:
            found = cache.get(key)
            if found is None:
                found = used()
                cache.set(key, found, SHARED_SECONDS)
            _keep(_USED_TYPES, key, found, 16)
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


def _item_setting(face: str, links: PageLinks) -> tuple:
    """What an item of a list depends on besides its row: the face, the language, the time
    zone, the sites' root paths and the URL configuration."""
    return (
        face,
        get_language(),
        get_current_timezone_name(),
        tuple(ArticlePage._get_site_root_paths(ArticlePage.__new__(ArticlePage), links)),
        str(get_urlconf() or settings.ROOT_URLCONF),
        get_script_prefix(),
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
    setting = _item_setting(face, links)
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


def hit_items_html(hits, *, face: str, setting: tuple | None = None) -> SafeString:
    """The `<li>` of each hit of a knowledge search, laid out as the browsed list's: the
    highlighted title and snippet (escaped by the highlighter), else the summary. An item built
    once is kept (`_ITEMS`, under all it depends on, the marks included)."""
    if not hits:
        return mark_safe("")
    if setting is None:
        setting = _item_setting(face, PageLinks(face))
    items = []
    for hit in hits:
        key = (setting, "hit", tuple(hit.article), str(hit.title), str(hit.snippet), hit.url)
        item = _ITEMS.get(key)
        if item is None:
            item = _hit_item_html(hit)
            if len(_ITEMS) >= ITEMS_KEPT:
                _ITEMS.clear()
            _ITEMS[key] = item
        items.append(item)
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped


def _hit_item_html(hit) -> str:
    article = hit.article
    snippet = (
        f'<p class="snippet">{conditional_escape(hit.snippet)}</p>'
        if hit.snippet
        else _summary_html(article.summary)
    )
    return _item_html(
        url=hit.url,
        title_html=conditional_escape(hit.title or article.title),
        kind=in_reader_language(article.knowledge_type__name, article.knowledge_type__name_en),
        department=in_reader_language(article.department__name, article.department__name_en),
        published_at=article.first_published_at,
        view_count=article.view_count,
        helpful_yes=article.helpful_yes,
        snippet_html=snippet,
    )
