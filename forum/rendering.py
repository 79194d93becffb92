"""Markdown to safe HTML, done once when a post is saved (the page shows the stored result).

markdown-it-py renders CommonMark with raw HTML switched off (it is shown as text), and nh3
(the Rust `ammonia` sanitiser) then keeps only an allow-list of tags, attributes and URL schemes:
no script, no event handlers, no `javascript:` or `data:` links, no images (an image is a request
to wherever its author points). Links get `rel="nofollow noopener noreferrer"`.
"""

import re
from html import escape

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# Not after an address's letters (a@b.example), but after Chinese text, which has no spaces.
MENTION = re.compile(r"(?<![A-Za-z0-9_.+@-])@([\w\-]{3,40})", re.UNICODE)


def render_markdown(body: str) -> str:
    """The sanitised HTML of a post's markdown."""
    html = _markdown.render(body)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


# A sanitised post's HTML: tags and the text between them (entities stay escaped).
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_NO_LINKS_INSIDE = {"a", "code", "pre"}


def link_mentions(html: str, *, targets: dict[str, str]) -> str:
    """`html` (sanitised) with each `@name` of `targets` (lower-cased name → URL of that
    pseudonym's posts) made a link; names not in `targets`, and mentions inside links and code,
    stay text. Only the name itself goes into the link, so nothing else about the pseudonym is
    revealed; names are word characters and hyphens and URLs are escaped."""
    if not targets:
        return html
    inside = []
    out = []
    for part in _TAG_OR_TEXT.split(html):
        if part.startswith("<"):
            name = part.strip("</>").split(None, 1)[0].lower() if part.strip("</>") else ""
            if name in _NO_LINKS_INSIDE:
                if part.startswith("</"):
                    if name in inside:
                        inside.remove(name)
                elif not part.endswith("/>"):
                    inside.append(name)
            out.append(part)
        elif inside or "@" not in part:
            out.append(part)
        else:
            out.append(MENTION.sub(lambda match: _mention_link(match, targets), part))
    return "".join(out)


def _longest_known(name: str, known) -> str | None:
    """The longest start of `name` (at least 3 characters) that is a known name, lower-cased:
    Chinese runs on without a space, so "@安静苍鹭101你好" mentions 安静苍鹭101."""
    lowered = name.lower()
    for end in range(len(lowered), 2, -1):
        if lowered[:end] in known:
            return lowered[:end]
    return None


def _mention_link(match, targets) -> str:
    name = match.group(1)
    known = _longest_known(name, targets)
    if known is None:
        return match.group(0)
    shown, rest = name[: len(known)], name[len(known) :]
    return f'<a class="mention" href="{escape(targets[known])}">@{escape(shown)}</a>{rest}'


def mentioned_names(body: str) -> set[str]:
    """Every name a post's `@mentions` may mean, lower-cased (pseudonyms are unique regardless
    of case): each mention and each of its starts of 3 characters or more, since a Chinese
    name may be followed by text without a space. `mentions_of` picks the ones meant."""
    names = set()
    for match in MENTION.findall(body):
        lowered = match.lower()
        names.update(lowered[:end] for end in range(3, len(lowered) + 1))
    return names


def mentions_of(body: str, known) -> set[str]:
    """The names of `known` (lower-cased) that the post mentions: the longest for each `@`."""
    found = (_longest_known(match, known) for match in MENTION.findall(body))
    return {name for name in found if name is not None}


def quote_markdown(*, pseudonym: str, body: str) -> str:
    """A quote of another post for a reply's text: the quoted author is named by pseudonym only
    (whatever the quoted text itself says is already the pseudonymous author's own words)."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.strip().splitlines())
    return f"> **@{pseudonym}:**\n>\n{quoted}\n\n"


def plain_text(html: str) -> str:
    """The words of rendered HTML, for search and feed summaries."""
    return (
        nh3.clean(html, tags=set()).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )
