"""The body of a mass notice as rich text: sanitised HTML for the page and the mail, and the
plain text derived from it for the mail's text/plain part.

Whatever the browser posts (the editor's HTML, or HTML typed into the plain textarea when
JavaScript is off) goes through `sanitise_html` before it is stored: an allowlist of tags and
attributes, links only to http, https and mailto addresses, `rel="noopener noreferrer"` on
every link. Scripts, event handlers, styles, frames and images never survive.
"""

import re
from html import escape
from html.parser import HTMLParser

import nh3
from django.utils.html import linebreaks, urlize

ALLOWED_TAGS = {
    "p",
    "div",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "blockquote",
    "pre",
    "code",
    "ul",
    "ol",
    "li",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_SCHEMES = ("http://", "https://", "mailto:")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        # Only absolute http(s) and mailto links: relative, protocol-relative, javascript:,
        # data: and everything else lose the href (the text stays).
        return value if value.strip().lower().startswith(LINK_SCHEMES) else None
    return value


def sanitise_html(html: str) -> str:
    """`html` reduced to the allowlist (see the module's docstring)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def text_to_html(body: str) -> str:
    """Plain text with light formatting as safe HTML: blank lines separate paragraphs, lines
    starting with "- " form a list, **bold**, and links are made clickable. Everything is
    escaped first. (Notices written before the editor, and bodies typed without JavaScript
    in "plain text" mode.)"""
    blocks = re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = block.split("\n")
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(linebreaks(_inline(block), autoescape=False))
    return sanitise_html("\n".join(html))


def _inline(text: str) -> str:
    text = urlize(escape(text, quote=False), nofollow=True, autoescape=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)


LIST_ITEM = re.compile(r"^ *(-|\d+\.) ")
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "blockquote", "pre", "ul", "ol", "hr"}


class _TextWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []
        self.lists: list[list] = []

    def _newline(self, count=1):
        text = "".join(self.parts)
        missing = count - (len(text) - len(text.rstrip("\n")))
        if text and missing > 0:
            self.parts.append("\n" * missing)

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            self._newline(1 if self.lists else 2)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._newline(1)
            depth = max(len(self.lists), 1)
            marker = "-"
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}."
            self.parts.append("  " * (depth - 1) + marker + " ")
        elif tag in BLOCKS:
            self._newline(2)
            if tag == "hr":
                self.parts.append("----------\n\n")
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and not "".join(self.parts).endswith(href.removeprefix("mailto:")):
                self.parts.append(f" <{href.removeprefix('mailto:')}>")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline(2)
        elif tag in BLOCKS:
            self._newline(2)

    def handle_data(self, data):
        self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    """The mail's text/plain part: paragraphs separated by blank lines, list items as "- " or
    "1. ", links followed by their address in angle brackets."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    lines = [
        line.rstrip() if LIST_ITEM.match(line) else line.strip()
        for line in "".join(writer.parts).split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def has_text(html: str) -> bool:
    return bool(html_to_text(html).strip())
