"""Highlighted snippets of search results, for Chinese and English alike.

haystack's highlighter runs a stemming analyzer that sees a run of Chinese as one word, so it
marks nothing, or everything. This one looks for the query's words (cut by jieba, like the
search itself) in the plain text, case-insensitively, picks the window of text where most of
them meet, escapes it, and wraps each occurrence in `<mark>`.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from whoosh.lang.porter import stem

from portal.search.analysis import query_terms

SNIPPET_LENGTH = 160
# How much text to show before the first match of the snippet, so it does not start mid-sentence.
LEAD = 30
ELLIPSIS = "…"
# A cut point moves at most this far to avoid splitting a word.
MAX_WORD = 20
LATIN_WORD = re.compile(r"[0-9a-z]+")
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    term: str


class Highlighter:
    """Finds a query's words in texts; build it once per search and use it for every result."""

    def __init__(self, query: str):
        self.query = query
        self.terms = query_terms(query)

    @cached_property
    def pattern(self) -> re.Pattern | None:
        if not self.terms:
            return None
        alternatives = []
        # Longest first, so that `质量检验` is marked whole rather than as `质量` + `检验`.
        for term in sorted(self.terms, key=len, reverse=True):
            if LATIN_WORD.fullmatch(term) and not term.isdigit():
                # The search matches English by stem (`documents` finds `document`), so mark
                # any word that starts like the term's stem; never inside another word.
                alternatives.append(rf"(?<![0-9A-Za-z]){re.escape(stem(term))}[A-Za-z]*")
            elif LATIN_WORD.fullmatch(term):
                alternatives.append(rf"(?<![0-9A-Za-z]){re.escape(term)}(?![0-9A-Za-z])")
            else:
                alternatives.append(re.escape(term))
        return re.compile("|".join(alternatives), re.IGNORECASE)

    def matches(self, text: str) -> list[Match]:
        if self.pattern is None:
            return []
        return [Match(m.start(), m.end(), m.group().lower()) for m in self.pattern.finditer(text)]

    def mark(self, text: str) -> SafeString:
        """The whole text, escaped, with every occurrence of a query word marked."""
        text = WHITESPACE.sub(" ", text).strip()
        return _render(text, self.matches(text), 0, len(text))

    def snippet(self, text: str, length: int = SNIPPET_LENGTH) -> SafeString:
        """About `length` characters of plain `text` (not HTML) around the place where most
        query words meet, escaped, occurrences marked, an ellipsis where text was cut."""
        text = WHITESPACE.sub(" ", text).strip()
        if len(text) <= length:
            return _render(text, self.matches(text), 0, len(text))
        matches = self.matches(text)
        if not matches:
            return _render(text, [], 0, _word_end(text, length))
        start, end = _best_window(text, matches, length)
        return _render(text, matches, start, end)


def _best_window(text: str, matches: list[Match], length: int) -> tuple[int, int]:
    """The window of `length` characters that shows the most different query words, then the
    most occurrences, starting a little before its first match."""
    best = None
    best_score = (-1, -1)
    last = 0
    for first, match in enumerate(matches):
        limit = max(0, match.start - LEAD) + length
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1].end <= limit:
            last += 1
        inside = matches[first : last + 1]
        score = (len({m.term for m in inside}), len(inside))
        if score > best_score:
            best, best_score = match, score
    start = max(0, best.start - LEAD)
    end = min(len(text), start + length)
    start = max(0, end - length)
    return _word_start(text, start), _word_end(text, end)


def _is_latin(character: str) -> bool:
    return character.isascii() and character.isalnum()


def _word_start(text: str, start: int) -> int:
    """Move a cut point back to the start of a Latin word it would split (Chinese has no
    spaces to move to), but not past a word too long to be one."""
    if start == 0 or not (_is_latin(text[start - 1]) and _is_latin(text[start])):
        return start
    moved = start
    while moved > 0 and _is_latin(text[moved - 1]) and start - moved < MAX_WORD:
        moved -= 1
    return moved


def _word_end(text: str, end: int) -> int:
    """Move a cut point forward to the end of a Latin word it would split."""
    if end >= len(text) or not (_is_latin(text[end - 1]) and _is_latin(text[end])):
        return end
    moved = end
    while moved < len(text) and _is_latin(text[moved]) and moved - end < MAX_WORD:
        moved += 1
    return moved


def _render(text: str, matches: list[Match], start: int, end: int) -> SafeString:
    spans = []
    for match in matches:
        if match.start < start or match.end > end:
            continue
        if spans and match.start <= spans[-1][1]:
            # Touching words (`欧阳` + `娜娜`) are one mark, as a reader sees one name.
            spans[-1][1] = max(spans[-1][1], match.end)
        else:
            spans.append([match.start, match.end])
    parts = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
