"""What the search knows about: one haystack index class per kind of thing, declared in the
owning app's `search_indexes.py`, and the search connection of each face.

Adding a kind is one class::

    class NoticeIndex(PortalSearchIndex, indexes.Indexable):
        model = Notice
        kind = SearchKind("notices", _("Notices"), order=30)
        faces = ("intranet",)
        related = {"board": ("name",)}  # fields of other models that are part of the text

        def visible_to(self, *, user, queryset, face):
            return notices_visible_to(user=user, queryset=queryset)  # the app's selector

        def text_parts(self, notice): ...       # the words it is found by
        def result(self, notice, *, face): ...  # title, link and plain text for the snippet

Saving or deleting a `Notice` then queues an index update (`portal.search.signals`),
`rebuild_index` indexes all of them in batches, and the search page of each face in `faces`
finds them, shows them to whom `visible_to` lets through, and offers "Notices" as a filter.
Wagtail page models inherit `portal.search.indexes.PageSearchIndex` instead, which already
knows the face of a page and its view restrictions.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model, QuerySet
from haystack import connections, indexes


@dataclass(frozen=True)
class SearchKind:
    """A filter of the search page: its `?kind=` value, its label, its place in the list."""

    key: str
    label: str
    order: int = 100


@dataclass(frozen=True)
class ResultText:
    """How a found object is shown: its title, where it links to, and the plain text (not HTML)
    its snippet is cut from."""

    title: str
    url: str
    text: str


@dataclass(frozen=True)
class DirectMatches:
    """The primary keys a kind's own search found, best first: `leading` ones come before the
    index's results of other kinds (the object is named by the query), `trailing` ones after.
    `truncated` when more matched than the search considers."""

    leading: list
    trailing: list
    truncated: bool = False
    # The rows `results()` shows, {pk: row}, when the kind's search read them with its matches:
    # the search then loads none of them again.
    rows: dict | None = None


class PortalSearchIndex(indexes.SearchIndex):
    """Base of every search index of the portal (subclasses also inherit `indexes.Indexable`).

    The index holds words only (`text` is not stored); who may see a result and what it shows
    are asked of the database when someone searches.
    """

    text = indexes.CharField(document=True, stored=False)
    # The words of the object's title again: a match there ranks higher (portal.search.backend).
    title = indexes.CharField(stored=False, default="")

    model: type[Model]
    kind: SearchKind
    # The faces whose index holds this kind ("intranet", "extranet").
    faces: tuple[str, ...]
    # Related objects whose fields are part of the indexed text: {relation: (field, ...)}. When
    # one of them is saved with any of those fields changed, its objects are indexed again
    # (a renamed department, say). Who may see what is never indexed, so it needs no entry.
    related: dict[str, tuple[str, ...]] = {}

    def get_model(self):
        return self.model

    def index_queryset(self, using=None):
        """What goes into the index of connection `using`: nothing for a face the kind does not
        belong to, else `indexed_queryset()` of that face."""
        face = face_of_connection(using or "default")
        if face not in self.faces:
            return self.model._default_manager.none()
        return self.indexed_queryset(face=face)

    def indexed_queryset(self, *, face: str) -> QuerySet:
        """The objects of this kind that belong in `face`'s index (to be narrowed by subclasses)."""
        return self.model._default_manager.all()

    def prepare_text(self, obj) -> str:
        return "\n".join(part for part in self.text_parts(obj) if part)

    def text_parts(self, obj) -> Iterable[str]:
        """The words the object is found by."""
        raise NotImplementedError

    def prepare_title(self, obj) -> str:
        return self.title_text(obj) or ""

    def title_text(self, obj) -> str:
        """The object's title, also part of `text_parts()`: a match in it ranks higher."""
        return ""

    def visible_to(self, *, user, queryset: QuerySet, face: str) -> QuerySet:
        """`queryset` narrowed to what `user` may see on `face`: the app's selector."""
        raise NotImplementedError

    def direct_matches(self, *, user, query: str, face: str, limit: int) -> "DirectMatches | None":
        """The objects of this kind matching `query` that `user` may see, found by the app's own
        search instead of the index; None (the default) lets the index find them. A kind whose
        app has a search of its own answers here, so that both searches find the same objects."""
        return None

    def result_queryset(self, *, face: str) -> QuerySet:
        """The rows `result()` reads, with what it needs joined in."""
        return self.model._default_manager.all()

    def result(self, obj, *, face: str) -> ResultText:
        raise NotImplementedError

    def results(self, objs: list, *, face: str) -> list[ResultText]:
        """`result()` of each of a page's objects; a kind whose links need one more query
        overrides it to ask once for the whole page."""
        return [self.result(obj, face=face) for obj in objs]


def connection_for_face(face: str) -> str:
    """The haystack connection holding `face`'s index."""
    return settings.SEARCH_CONNECTIONS[face]


def face_of_connection(alias: str) -> str | None:
    for face, connection_alias in settings.SEARCH_CONNECTIONS.items():
        if connection_alias == alias:
            return face
    return None


def indexes_for_face(face: str) -> list[PortalSearchIndex]:
    """The indexes whose kinds `face`'s search finds, in the order of their filters."""
    unified_index = connections[connection_for_face(face)].get_unified_index()
    found = [
        index
        for index in unified_index.get_indexes().values()
        if isinstance(index, PortalSearchIndex) and face in index.faces
    ]
    return sorted(found, key=lambda index: (index.kind.order, index.kind.key))


def kinds_for_face(face: str) -> list[SearchKind]:
    kinds = {}
    for index in indexes_for_face(face):
        kinds.setdefault(index.kind.key, index.kind)
    return list(kinds.values())


def index_for_model(model: type[Model]) -> PortalSearchIndex | None:
    """The portal's index of `model`, or None if it is not searched."""
    for alias in connections.connections_info:
        unified_index = connections[alias].get_unified_index()
        index = unified_index.get_indexes().get(model)
        if isinstance(index, PortalSearchIndex):
            return index
    return None


def dependents_of(model: type[Model]) -> set[tuple[type[Model], str, tuple[str, ...]]]:
    """(indexed model, relation, fields) for each kind whose text includes fields of `model`."""
    found = set()
    for alias in connections.connections_info:
        for index in connections[alias].get_unified_index().get_indexes().values():
            if not isinstance(index, PortalSearchIndex):
                continue
            for relation, fields in index.related.items():
                if index.model._meta.get_field(relation).related_model is model:
                    found.add((index.model, relation, tuple(fields)))
    return found


def connections_for_model(model: type[Model]) -> list[str]:
    """The connections whose index may hold objects of `model`."""
    index = index_for_model(model)
    if index is None:
        return []
    return [connection_for_face(face) for face in index.faces]
