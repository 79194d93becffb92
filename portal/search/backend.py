"""haystack's Whoosh backend, made to understand Chinese and to fail loudly.

* Every text field is analysed with jieba (`ChineseAnalyzer`), at index and at query time.
* Text is indexed but not stored: results are shown from the database, which also decides who
  may see them, so the index only needs to hand back which objects matched.
* Writes take Whoosh's single write lock with a timeout and raise `LockError` when it runs out,
  instead of haystack's `AsyncWriter`, which waits for ever in a background thread and loses its
  errors there. The search task retries on that error (see `portal.search.tasks`).
* Removing a document raises on failure, whatever SILENTLY_FAIL says.
* A result carries the model, primary key and score only: converting every stored field of
  every hit, as haystack does, took most of the time of a search with many matches.
"""

from django.conf import settings
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model
from whoosh.fields import TEXT

from portal.search.analysis import ChineseAnalyzer

# One analyzer for the whole process, so that all text fields share its stemming cache.
CHINESE_ANALYZER = ChineseAnalyzer()


class ChineseWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field_class in fields.values():
            name = field_class.index_fieldname
            if isinstance(schema[name], TEXT):
                schema.remove(name)
                schema.add(
                    name,
                    TEXT(
                        analyzer=field_class.analyzer or CHINESE_ANALYZER,
                        stored=field_class.stored,
                        field_boost=field_class.boost,
                    ),
                )
        return content_field_name, schema

    def _writer(self):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        # Raises whoosh.index.LockError when another writer holds the index for too long.
        return self.index.writer(timeout=settings.SEARCH_INDEX_LOCK_TIMEOUT, delay=0.05)

    def update(self, index, iterable, commit=True):
        documents = []
        for obj in iterable:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document = {key: self._from_python(value) for key, value in document.items()}
            # Whoosh 2.5+ has no document boosts.
            document.pop("boost", None)
            documents.append(document)
        if not documents:
            return
        writer = self._writer()
        try:
            for document in documents:
                writer.update_document(**document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, obj_or_string, commit=True):
        writer = self._writer()
        try:
            writer.delete_by_term(ID, get_identifier(obj_or_string))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _process_results(
        self,
        raw_page,
        highlight=False,
        query_string="",
        spelling_query=None,
        result_class=None,
        facet_types=None,
    ):
        if highlight or facet_types or self.include_spelling:
            return super()._process_results(
                raw_page,
                highlight=highlight,
                query_string=query_string,
                spelling_query=spelling_query,
                result_class=result_class,
                facet_types=facet_types,
            )
        result_class = result_class or SearchResult
        indexed_models = connections[self.connection_alias].get_unified_index().get_indexed_models()
        results = []
        hits = len(raw_page)
        for offset, hit in enumerate(raw_page):
            app_label, model_name = hit[DJANGO_CT].split(".")
            if haystack_get_model(app_label, model_name) not in indexed_models:
                hits -= 1
                continue
            score = raw_page.score(offset) or 0
            results.append(result_class(app_label, model_name, hit[DJANGO_ID], score))
        return {"results": results, "hits": hits, "facets": {}, "spelling_suggestion": None}


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshBackend
