"""Searching: what the index finds, narrowed to what the database says the user may see."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.safestring import SafeString
from haystack.query import SearchQuerySet

from portal.search.highlight import Highlighter
from portal.search.registry import (
    PortalSearchIndex,
    SearchKind,
    connection_for_face,
    indexes_for_face,
)


@dataclass(frozen=True)
class SearchHit:
    """One result as the page shows it; `title` and `snippet` are escaped and marked."""

    kind: SearchKind
    title: SafeString
    url: str
    snippet: SafeString


@dataclass(frozen=True)
class KindCount:
    kind: SearchKind
    count: int


@dataclass
class SearchOutcome:
    query: str
    kind: str
    # Every kind of the face with the number of results of that kind the user may see.
    kinds: list[KindCount]
    # Results of the chosen kind (all kinds when none is chosen) that the user may see.
    total: int
    page: PaginatorPage
    # True when the index found more than SEARCH_MAX_CANDIDATES matches and only the best of
    # them were considered.
    truncated: bool = False
    hits: list[SearchHit] = field(default_factory=list)


def search_for(
    *, user, face: str, query: str, kind: str = "", page_number=1, per_page: int = 20
) -> SearchOutcome:
    """Search `face`'s index for `query` and keep only what `user` may see now.

    The index proposes the best SEARCH_MAX_CANDIDATES matches; each kind's `visible_to`
    selector then keeps those the database lets the user see, one query per kind whatever the
    number of matches, so neither results nor counts ever include what the user may not see.
    Only the page shown is loaded and highlighted. An unknown `kind` counts as all kinds.
    """
    indexes = indexes_for_face(face)
    index_by_model = {index.model: index for index in indexes}
    limit = settings.SEARCH_MAX_CANDIDATES
    # Not narrowed to the face's models: the face's index holds nothing else, and haystack's
    # narrowing would read every document of those models on each search.
    found = SearchQuerySet(using=connection_for_face(face)).auto_query(query)[: limit + 1]
    truncated = len(found) > limit

    # Kinds with a search of their own (people: the directory's) take their matches from it,
    # already narrowed to what the user may see; the index's matches of them are ignored.
    direct = {}
    for index in indexes:
        matches = index.direct_matches(user=user, query=query, face=face, limit=limit)
        if matches is not None:
            direct[index] = matches
            truncated = truncated or matches.truncated

    candidates = defaultdict(list)
    order = []
    for result in found[:limit]:
        index = index_by_model.get(result.model)
        if index is None or index in direct:
            continue
        pk = index.model._meta.pk.to_python(result.pk)
        candidates[index].append(pk)
        order.append((index, pk))

    # When every candidate fits on one page (a precise query), the visibility check loads the
    # rows shown as well: one query per kind instead of two.
    load_now = len(order) <= per_page
    visible = set()
    loaded = {
        (index, pk): row
        for index, matches in direct.items()
        for pk, row in (matches.rows or {}).items()
    }
    for index, pks in candidates.items():
        rows = index.result_queryset(face=face) if load_now else index.model._default_manager
        allowed = index.visible_to(user=user, queryset=rows.filter(pk__in=pks), face=face)
        if load_now:
            for obj in allowed:
                loaded[(index, obj.pk)] = obj
                visible.add((index, obj.pk))
        else:
            visible.update((index, pk) for pk in allowed.values_list("pk", flat=True))
    seen = [(index, pk) for index, pk in order if (index, pk) in visible]
    leading = [(index, pk) for index, matches in direct.items() for pk in matches.leading]
    trailing = [(index, pk) for index, matches in direct.items() for pk in matches.trailing]
    seen = leading + seen + trailing

    counts = defaultdict(int)
    for index, _pk in seen:
        counts[index.kind.key] += 1
    kinds = {index.kind.key: KindCount(index.kind, counts[index.kind.key]) for index in indexes}
    if kind not in kinds:
        kind = ""
    if kind:
        seen = [(index, pk) for index, pk in seen if index.kind.key == kind]

    page = Paginator(seen, per_page).get_page(page_number)
    outcome = SearchOutcome(
        query=query,
        kind=kind,
        kinds=list(kinds.values()),
        total=len(seen),
        page=page,
        truncated=truncated,
    )
    outcome.hits = _hits(page.object_list, query=query, face=face, loaded=loaded)
    return outcome


def _hits(entries: list[tuple[PortalSearchIndex, object]], *, query: str, face: str, loaded):
    """The results of one page, highlighted; those not in `loaded` yet ({(index, pk): row})
    loaded with one query per kind."""
    wanted = defaultdict(list)
    for index, pk in entries:
        if (index, pk) not in loaded:
            wanted[index].append(pk)
    loaded = dict(loaded)
    for index, pks in wanted.items():
        for obj in index.result_queryset(face=face).filter(pk__in=pks):
            loaded[(index, obj.pk)] = obj
    on_page = defaultdict(list)
    for index, pk in entries:
        if (index, pk) in loaded:
            on_page[index].append(loaded[(index, pk)])
    texts = {}
    for index, objs in on_page.items():
        for obj, text in zip(objs, index.results(objs, face=face), strict=True):
            texts[(index, obj.pk)] = text
    highlighter = Highlighter(query)
    hits = []
    for index, pk in entries:
        text = texts.get((index, pk))
        if text is None:
            # Deleted since the visibility check a moment ago.
            continue
        hits.append(
            SearchHit(
                kind=index.kind,
                title=highlighter.mark(text.title),
                url=text.url,
                snippet=highlighter.snippet(text.text),
            )
        )
    return hits
