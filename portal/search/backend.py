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
* A plain search (no sorting, facets or narrowing: what the portal's searches are) reuses one
  open searcher per process and thread, reopened only when the index changed (a commit by the
  search worker, a rebuild), instead of reading the table of contents and opening every
  segment's files twice per search as haystack does. Its answers (which documents, in which
  order, with which scores) are kept with it and forgotten when it is: they change only when
  the index does. Who may see a result is not the index's to say and is never kept here.
"""

import os

from django.conf import settings
from django.utils.encoding import force_str
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as whoosh_query
from whoosh.fields import TEXT
from whoosh.index import TOC
from whoosh.qparser import FuzzyTermPlugin, QueryParser

from portal.search.analysis import ChineseAnalyzer, query_compounds

# One analyzer for the whole process, so that all text fields share its stemming cache.
CHINESE_ANALYZER = ChineseAnalyzer()


# The index field holding each object's title (PortalSearchIndex.title).
TITLE_FIELD = "title"
# How much more a match counts in the title than in the text, and as a phrase than as words
# apart (BM25F scores of the optional extra clauses, added to those of the words).
TITLE_BOOST = 3.0
PHRASE_BOOST = 2.0


class RankingQueryParser(QueryParser):
    """Whoosh's parser, with matches that a reader expects first: every word of the query is
    still required in the text, as before; a document also scores for the words in its title,
    and for the query's words standing together as typed (a phrase), in its text and title.

    `安全生产` requires 安全 and 生产 (as `安全的生产` holds them) and ranks
    `安全生产管理办法` (the phrase, in the title) above a text holding 安全 here and 生产科
    there. English words typed together (`safety management`) count as a phrase too."""

    def parse(self, text, normalize=True, debug=False):
        # The words of each term of the content field in query order, noted by term_query.
        self._terms = []
        parsed = super().parse(text, normalize=normalize, debug=debug)
        terms, self._terms = self._terms, []
        if parsed is None or len(terms) < 2 or parsed is whoosh_query.NullQuery:
            return parsed
        # The terms together, as typed: a phrase across them.
        return whoosh_query.AndMaybe(parsed, self._phrase([w for words in terms for w in words]))

    def _phrase(self, words):
        return whoosh_query.Or(
            [
                whoosh_query.Phrase(self.fieldname, words, boost=PHRASE_BOOST),
                whoosh_query.Phrase(TITLE_FIELD, words, boost=PHRASE_BOOST * TITLE_BOOST),
            ]
        )

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        required = super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        if (
            fieldname != self.fieldname
            or TITLE_FIELD not in self.schema
            or termclass is not whoosh_query.Term
            or not tokenize
        ):
            return required
        if isinstance(required, whoosh_query.Term):
            words = [required.text]
        elif isinstance(required, whoosh_query.And) and all(
            type(part) is whoosh_query.Term for part in required.subqueries
        ):
            words = [part.text for part in required.subqueries]
        else:
            return required
        self._terms.append(words)
        extra = [
            whoosh_query.And(
                [whoosh_query.Term(TITLE_FIELD, word) for word in words], boost=TITLE_BOOST
            )
        ]
        for compound in query_compounds(text):
            extra.append(whoosh_query.Term(self.fieldname, compound, boost=PHRASE_BOOST))
            extra.append(whoosh_query.Term(TITLE_FIELD, compound, boost=PHRASE_BOOST * TITLE_BOOST))
        if len(words) > 1:
            extra.append(self._phrase(words))
        return whoosh_query.AndMaybe(required, whoosh_query.Or(extra))


# Search options that haystack's own search handles (the portal's searches use none of them).
NOT_PLAIN = (
    "highlight",
    "facets",
    "date_facets",
    "query_facets",
    "narrow_queries",
    "models",
    "within",
    "dwithin",
    "distance_point",
)

# How many answers of plain searches a backend keeps for its open searcher (emptied when full).
ANSWERS_KEPT = 512


class ChineseWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._searcher = None
        # What the open searcher was opened on: (process id, index version).
        self._searcher_opened_on = None
        # The open searcher's answers to plain searches: {(query, page, page length):
        # ([(app label, model name, pk, score), ...], hits)}.
        self._answers = {}

    def setup(self):
        super().setup()
        self.parser = RankingQueryParser(self.content_field_name, schema=self.schema)
        self.parser.add_plugins([FuzzyTermPlugin])
        # A new index (created, or recreated by `clear()`): never search an older one.
        self._forget_searcher()

    def _forget_searcher(self):
        if self._searcher is not None and self._searcher_opened_on[0] == os.getpid():
            self._searcher.close()
        self._searcher = None
        self._searcher_opened_on = None
        self._answers = {}

    def _index_version(self):
        """What identifies the index's current state: its latest generation and, on disk, the
        file of that generation's table of contents (a rebuilt index counts its generations
        from 0 again, in new files). Cheap: one directory listing and one stat."""
        generation = self.index.latest_generation()
        if not self.use_file_storage:
            return (generation,)
        name = TOC._filename(self.index.indexname, generation)
        try:
            status = os.stat(os.path.join(self.path, name))
        except OSError:
            return None
        return (generation, status.st_ino, status.st_mtime_ns)

    def current_searcher(self):
        """A searcher of the index as it is now: the one already open while the index has not
        changed since it was opened (and in the process that opened it: a forked worker opens
        its own files), else a new one."""
        if not self.setup_complete:
            self.setup()
        opened_on = (os.getpid(), self._index_version())
        if self._searcher is None or opened_on[1] is None or opened_on != self._searcher_opened_on:
            self._forget_searcher()
            self._searcher = self.index.searcher()
            self._searcher_opened_on = opened_on
        return self._searcher

    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, **kwargs):
        limit_to_registered_models = kwargs.get("limit_to_registered_models")
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(
                settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True
            )
        plain = not (
            sort_by
            or self.include_spelling
            or limit_to_registered_models
            or any(kwargs.get(name) for name in NOT_PLAIN)
        )
        if not plain:
            return super().search(
                query_string,
                sort_by=sort_by,
                start_offset=start_offset,
                end_offset=end_offset,
                **kwargs,
            )
        empty = {"results": [], "hits": 0, "spelling_suggestion": None}
        query_string = force_str(query_string)
        # As haystack: nothing for an empty or one-character query.
        if len(query_string) == 0 or (len(query_string) <= 1 and query_string != "*"):
            return empty
        searcher = self.current_searcher()
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        key = (query_string, page_num, page_length)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answer(searcher, query_string, page_num, page_length)
            if len(self._answers) >= ANSWERS_KEPT:
                self._answers.clear()
            self._answers[key] = answer
        found, hits = answer
        result_class = kwargs.get("result_class") or SearchResult
        return {
            "results": [result_class(*row) for row in found],
            "hits": hits,
            "facets": {},
            "spelling_suggestion": None,
        }

    def _answer(self, searcher, query_string, page_num, page_length):
        """What `searcher` finds for a plain search: ([(app label, model name, pk, score), ...]
        of the page, best first, hits)."""
        if not searcher.doc_count():
            return [], 0
        parsed_query = self.parser.parse(query_string)
        if parsed_query is None:
            return [], 0
        raw_page = searcher.search_page(parsed_query, page_num, pagelen=page_length)
        if raw_page.pagenum < page_num:
            return [], 0
        return self._found(raw_page)

    def _found(self, raw_page):
        """([(app label, model name, pk, score), ...], hits) of `raw_page`'s documents of the
        models indexed."""
        indexed_models = connections[self.connection_alias].get_unified_index().get_indexed_models()
        found = []
        hits = len(raw_page)
        for offset, hit in enumerate(raw_page):
            app_label, model_name = hit[DJANGO_CT].split(".")
            if haystack_get_model(app_label, model_name) not in indexed_models:
                hits -= 1
                continue
            found.append((app_label, model_name, hit[DJANGO_ID], raw_page.score(offset) or 0))
        return found, hits

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
        found, hits = self._found(raw_page)
        return {
            "results": [result_class(*row) for row in found],
            "hits": hits,
            "facets": {},
            "spelling_suggestion": None,
        }


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshBackend
