"""The article itself as its page shows it (the breadcrumb, the title, the classification,
tags, summary, body and attachments: `knowledge/_article.html`), rendered once and kept.

Rendering the body is the article page's dearest part: each block's template, and Wagtail's
rich-text rewriting, which reads the pages and documents the text links to and the images'
renditions. What comes out is the same for every reader of a face in a language: the body's
links are written for everyone alike (Wagtail writes a link to a restricted or unpublished
page as it writes any other; a deleted target leaves `<a>`), and the only part that differs
by reader, the editors' links to Wagtail admin, is in the key.

The key names the article, its latest revision and publication, the face, the language and
the URL configuration, whether the reader is an editor and whether its review is overdue
(which turns with the calendar), and two generations:

* `knowledge.selectors.ARTICLES_GENERATION`, renewed when an article, an attachment, a
  knowledge type or a department changes (the names the article shows);
* `LINKED_GENERATION`, renewed when any Wagtail page, document, image, site or view
  restriction changes (`knowledge.signals`): what the body links to may have been renamed,
  moved, restricted or deleted.

A preview (Wagtail admin shows a draft with the live page's revision) is never kept nor read.
"""

import secrets
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from knowledge.models import ArticlePage
from portal.generations import Generation

LINKED_GENERATION = Generation("knowledge:linked-generation")
TEMPLATE = "knowledge/_article.html"
HELPFUL_TEMPLATE = "knowledge/_helpful.html"
SECONDS = 3600

# The same HTML kept in this process too: a key names both generations, so its value never
# changes; at most this many articles' HTML is held (the dict is emptied when full).
_MOST = 512
_kept: dict[str, str] = {}


def article_html_key(*, article: ArticlePage, face: str, is_editor: bool, generations) -> str:
    """The cache key of the article's HTML for a reader of `face` in the active language;
    `generations` are ARTICLES_GENERATION's and LINKED_GENERATION's current values."""
    published = article.last_published_at.isoformat() if article.last_published_at else ""
    parts = (
        article.pk,
        article.latest_revision_id,
        published,
        face,
        translation.get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        int(bool(is_editor)),
        int(face == "intranet" and article.review_overdue),
        *generations,
    )
    return "knowledge:article-html:" + ":".join(str(part) for part in parts)


# What the template reads of the page's context besides the article and the face: nothing
# of the request or the reader but `is_editor`, which is in the key.
READS = ("kb_urls", "tags", "attachments", "is_editor")


def _render(*, article: ArticlePage, face: str, context: dict) -> str:
    values = {name: context[name] for name in READS}
    return render_to_string(TEMPLATE, {**values, "page": article, "face": face})


def article_html(
    *, article: ArticlePage, face: str, context: dict, generations, preview: bool = False
) -> SafeString:
    """The article's HTML for a reader of `face`; `context` holds what the template reads
    besides the article (kb_urls, tags, attachments, is_editor)."""
    if preview:
        return mark_safe(_render(article=article, face=face, context=context))  # noqa: S308
    key = article_html_key(
        article=article, face=face, is_editor=context["is_editor"], generations=generations
    )
    html = _kept.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = _render(article=article, face=face, context=context)
            cache.set(key, html, SECONDS)
        if len(_kept) >= _MOST:
            _kept.clear()
        _kept[key] = html
    # Rendered by the template engine, which escaped every value.
    return mark_safe(html)  # noqa: S308


# "Was this helpful?" (`knowledge/_helpful.html`) is written from what its key names (the face,
# the language, the URL configuration, the article, its count of helpful answers and the
# reader's answer) and two values of the request put in as markers on every page: the CSRF token
# and the reader's comment. Nothing is read from the database, so nothing is to forget; the
# HTML is kept in this process only. Markers are letters and digits, which escaping leaves as
# they are, random per process so that no comment a reader types matches one.
_MARK = "m" + secrets.token_hex(8)
CSRF, COMMENT = f"{_MARK}csrf", f"{_MARK}comment"
_helpful: dict[tuple, str] = {}


def helpful_html(*, article: ArticlePage, face: str, kb_urls: dict, vote, csrf_token: str):
    """The "Was this helpful?" form of the article for a reader whose answer is `vote` (a
    HelpfulVote or None)."""
    answer = None if vote is None else bool(vote.helpful)
    key = (
        face,
        translation.get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        article.pk,
        article.helpful_yes,
        answer,
        bool(csrf_token),
    )
    html = _helpful.get(key)
    if html is None:
        html = render_to_string(
            HELPFUL_TEMPLATE,
            {
                "article_pk": article.pk,
                "helpful_count": article.helpful_yes,
                "face": face,
                "kb_urls": kb_urls,
                "answer": None
                if vote is None
                else SimpleNamespace(helpful=answer, comment=COMMENT),
                "csrf_token": CSRF if csrf_token else None,
            },
        )
        if len(_helpful) >= _MOST:
            _helpful.clear()
        _helpful[key] = html
    comment = escape(vote.comment) if vote is not None and vote.comment else ""
    html = html.replace(CSRF, csrf_token).replace(COMMENT, comment)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, values escaped
