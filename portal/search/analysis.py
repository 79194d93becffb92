"""How text becomes search terms: jieba word segmentation for Chinese, words for Latin script.

Whoosh's own tokenizers treat a run of Chinese characters as a single token, so `设备的维护`
would only ever be found by typing exactly `设备的维护`. jieba cuts Chinese into words instead.

The index and the query are cut differently on purpose. Indexed text is cut in jieba's
"search" mode, which emits every dictionary word inside a longer word as well as the word itself
(`质量检验` → `质量`, `检验`, `质量检验`). A query word is replaced by the smaller words that
cover it where jieba knows them, so that `质量检验` also finds `质量的检验`, and `设备维护`
finds `设备的维护`: every query term is then one the indexed text also produced.
"""

import logging
import re
import threading
import warnings
from functools import lru_cache

from whoosh.analysis import LowercaseFilter, StemFilter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang.porter import stem

_jieba = None
_jieba_lock = threading.Lock()


def prepare():
    """jieba with its dictionary (about 90 MB) and the domain words of SEARCH_DICTIONARIES
    loaded, once per process, on first use: only processes that cut text (a search, indexing)
    pay for it. A server that forks its workers from a preloaded application may call this
    before the fork, so that the workers share one copy."""
    global _jieba
    if _jieba is not None:
        return _jieba
    with _jieba_lock:
        if _jieba is None:
            with warnings.catch_warnings():
                # jieba 0.42 imports pkg_resources, which warns on every start of every process.
                warnings.filterwarnings(
                    "ignore", message="pkg_resources is deprecated", category=UserWarning
                )
                import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _load_dictionaries(jieba)
            _jieba = jieba
    return _jieba


def _load_dictionaries(jieba) -> None:
    """Teach jieba the domain words of SEARCH_DICTIONARIES (material and equipment terms)."""
    from django.conf import settings

    for path in getattr(settings, "SEARCH_DICTIONARIES", ()):
        jieba.load_userdict(str(path))


def _tokenize(text: str, mode: str = "default"):
    return prepare().tokenize(text, mode=mode)


# Words too common to help; the Chinese ones are particles that jieba cuts out on their own.
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "it",
        "of", "on", "or", "that", "the", "this", "to", "with",
        "的", "了", "和", "与", "及", "或", "之", "在", "是",
    }
)  # fmt: skip

# A word is worth a term if it holds a letter, digit or CJK character (not spaces or punctuation).
WORD_CHARACTER = re.compile(r"\w")


def _is_word(text: str) -> bool:
    return bool(WORD_CHARACTER.search(text))


def index_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word jieba finds in search mode, sub-words included."""
    return [(w, s, e) for w, s, e in _tokenize(text, mode="search") if _is_word(w)]


@lru_cache(maxsize=4096)
def _finest_cover(word: str) -> tuple[tuple[str, int, int], ...]:
    """The dictionary words inside `word` if together they cover all of it, else the word."""
    if len(word) <= 2:
        return ((word, 0, len(word)),)
    parts = [(w, s, e) for w, s, e in _tokenize(word, mode="search") if w != word]
    covered = set()
    for _part, start, end in parts:
        covered.update(range(start, end))
    if parts and covered == set(range(len(word))):
        return tuple(parts)
    return ((word, 0, len(word)),)


def query_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of the words of a query: jieba's default cut, each word replaced by
    its finest cover so that it matches text where the parts stand apart."""
    words = []
    for word, start, _end in _tokenize(text):
        if not _is_word(word):
            continue
        words.extend((w, start + s, start + e) for w, s, e in _finest_cover(word))
    return words


class JiebaTokenizer(Tokenizer):
    """A Whoosh tokenizer that cuts with jieba: search mode when indexing, the finest cover
    when parsing a query (Whoosh passes mode="query" then)."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            words = [(value, 0, len(value))]
        elif mode == "query":
            words = query_words(value)
        else:
            words = index_words(value)
        for position, (word, start, end) in enumerate(words, start=start_pos):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def ChineseAnalyzer():  # noqa: N802 - named like Whoosh's analyzer factories
    """jieba words, lower-cased, without stop words, English words stemmed (`documents` finds
    `document`). Used for every text field of the index and for the query that searches it."""
    return (
        JiebaTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(stemfn=stem, ignore=None, cachesize=50000)
    )


def query_terms(query: str) -> list[str]:
    """The words of a query as the highlighter looks for them: lower-case, no stop words, the
    whole word as typed as well as its parts (the longest match wins), not stemmed."""
    terms = []
    for word, _start, _end in _tokenize(query):
        if not _is_word(word):
            continue
        for term in (word, *(w for w, _s, _e in _finest_cover(word))):
            term = term.lower()
            if term not in STOP_WORDS and term not in terms:
                terms.append(term)
    return terms


def query_compounds(query: str) -> list[str]:
    """The words of a query that the query's terms replace by the smaller words inside them
    (`安全生产` → `安全`, `生产`), lower-case: text holding such a word whole (indexed text
    holds it as a term when jieba cut it as one word there too) holds the query's phrase."""
    return [
        word.lower()
        for word, _start, _end in _tokenize(query)
        if _is_word(word) and len(_finest_cover(word)) > 1
    ]
