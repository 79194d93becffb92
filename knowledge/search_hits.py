"""The knowledge search: the articles of a face the index finds for a query, narrowed to what
the reader may see, with the count of matches per type and department, a page of them
highlighted. The index's answer is cached under the knowledge base's generation; who may see
which article is always asked of the database (`search_sql` when nothing is restricted)."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.safestring import mark_safe
from haystack.query import SearchQuerySet

from knowledge.blocks import body_plain_text
from knowledge.listing import (
    ITEMS_KEPT,
    Facet,
    _department_facets,
    _item_setting,
    _keep,
    _page_url,
    _type_facets,
    _types_of_face,
)
from knowledge.models import ArticlePage, KnowledgeType
from knowledge.permissions import may_use_knowledge
from knowledge.search_indexes import ARTICLE_CONTENT_TYPE
from knowledge.search_sql import HitRow, hit_rows, visible_among
from knowledge.selectors import (
    ARTICLES_GENERATION,
    PER_PAGE,
    articles_visible_to,
    shared_cache_key,
    shared_root_path,
)
from portal.models import Department
from portal.search.highlight import Highlighter
from portal.search.indexes import PageLinks
from portal.search.registry import connection_for_face


@dataclass
class KnowledgeHit:
    article: HitRow
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
    # What the hits' items depend on besides their rows (`_item_setting`), read once.
    item_setting: tuple | None = None


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


# Per process, under the knowledge base's generation (which every change of an article or a
# department renews, so that a value kept under one never changes): the departments counted,
# each article's plain text and each hit's marked title and snippet.
_DEPARTMENTS: dict[tuple[int, frozenset], list[Department]] = {}
_PLAIN_TEXTS: dict[tuple[int, int], str] = {}
_MARKED: dict[tuple, tuple[str, str]] = {}


# (an item's setting, a page's URL path) -> its URL on the face (the setting holds all a URL
# depends on: the face, the sites' root paths, the URL configuration and the script prefix).
_URLS: dict[tuple, str] = {}


def _hit_url(links: PageLinks, setting: tuple, url_path: str) -> str:
    key = (setting, url_path)
    found = _URLS.get(key)
    if found is None:
        found = _keep(_URLS, key, _page_url(links, url_path), ITEMS_KEPT)
    return found


def _departments_counted(generation: int, keys) -> list[Department]:
    key = (generation, frozenset(keys))
    found = _DEPARTMENTS.get(key)
    if found is None:
        found = _keep(_DEPARTMENTS, key, list(Department.objects.filter(pk__in=list(keys))))
    return found


def _plain_texts(ids, generation: int) -> dict[int, str]:
    """The summary and body of each article of `ids` as plain text, for snippets; the bodies of
    the articles not kept yet are read in one query."""
    found = {pk: _PLAIN_TEXTS.get((pk, generation)) for pk in ids}
    missing = [pk for pk, plain in found.items() if plain is None]
    if missing:
        for pk, summary, body in ArticlePage.objects.filter(pk__in=missing).values_list(
            "pk", "summary", "body"
        ):
            plain = " ".join(part for part in (summary, body_plain_text(body)) if part)
            found[pk] = _keep(_PLAIN_TEXTS, (pk, generation), plain)
    return found


def _hit_marks(rows, *, query: str, generation: int) -> dict[int, tuple[str, str]]:
    """Each hit's title with the query's words marked and its snippet (escaped HTML)."""
    keys = {row.pk: (query, generation, row.pk, row.title, row.summary) for row in rows}
    marks = {pk: _MARKED.get(key) for pk, key in keys.items()}
    missing = [pk for pk, marked in marks.items() if marked is None]
    if missing:
        highlighter = Highlighter(query)
        titles = {row.pk: row.title for row in rows}
        for pk, plain in _plain_texts(missing, generation).items():
            if plain is None:  # deleted since it was found
                continue
            marked = (str(highlighter.mark(titles[pk])), str(highlighter.snippet(plain)))
            marks[pk] = _keep(_MARKED, keys[pk], marked, ITEMS_KEPT)
    return marks


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
    generation = ARTICLES_GENERATION.current()
    types = _types_of_face(user=user, face=face, generation=generation)
    knowledge_type = next((t for t in types if t.slug == type_slug), None) if type_slug else None
    department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )
    limit = settings.SEARCH_MAX_CANDIDATES
    key = shared_cache_key("search", face, generation, query, type_slug, department_code, limit)
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
    if order and may_use_knowledge(user, face):
        root_path = shared_root_path(face, generation)
        if root_path is not None:
            # Nothing restricted anywhere: the selector's rule written out (search_sql).
            rows = visible_among(root_path=root_path, ids=order)
        else:
            rows = {
                pk: (type_id, department_id)
                for pk, type_id, department_id in articles_visible_to(
                    user=user,
                    face=face,
                    queryset=ArticlePage.objects.filter(pk__in=order),
                    generation=generation,
                ).values_list("pk", "knowledge_type_id", "department_id")
            }
    seen = [pk for pk in order if pk in rows]
    type_counts, department_counts = defaultdict(int), defaultdict(int)
    for pk in seen:
        type_counts[rows[pk][0]] += 1
        department_counts[rows[pk][1]] += 1
    departments = _departments_counted(generation, department_counts) if department_counts else []
    page = Paginator(seen, per_page).get_page(page_number)
    shown = hit_rows(list(page.object_list))
    listed = [shown[pk] for pk in page.object_list if pk in shown]
    marks = _hit_marks(listed, query=query, generation=generation)
    links = PageLinks(face)
    setting = _item_setting(face, links)
    hits = [
        KnowledgeHit(
            article=row,
            title=mark_safe(marks[row.pk][0]),  # noqa: S308 - escaped by the highlighter
            snippet=mark_safe(marks[row.pk][1]),  # noqa: S308 - escaped by the highlighter
            url=_hit_url(links, setting, row.url_path),
        )
        for row in listed
        if marks.get(row.pk) is not None
    ]
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
        item_setting=setting,
    )
