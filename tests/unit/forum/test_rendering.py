"""Markdown is rendered once and sanitised: hostile input never reaches the page as markup."""

from html.parser import HTMLParser

import pytest

from forum.rendering import (
    link_mentions,
    mentioned_names,
    mentions_of,
    plain_text,
    quote_markdown,
    render_markdown,
)

SAFE_TAGS = {"p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol",
             "li", "a", "h1", "h2", "h3", "h4", "h5", "h6"}  # fmt: skip


def parsed(html):
    elements = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, attrs))

    Collector().feed(html)
    return elements


def test_markdown_renders_emphasis_lists_quotes_and_links():
    html = render_markdown(
        "**bold** *it*\n\n- one\n- two\n\n> quoted\n\n[site](https://a.example/)"
    )
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<li>one</li>" in html
    assert "<blockquote>" in html
    assert 'href="https://a.example/"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        "![x](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        '<div onmouseover="alert(1)">hover</div>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '[x](https://ok.example/" onclick="alert(1))',
        "<svg onload=alert(1)>",
        '<a href="https://ok.example" onclick="steal()">x</a>',
    ],
)
def test_hostile_input_is_neutralised(hostile):
    """Parsed as a browser would: only harmless elements, no event handlers, no scripted or
    data: URLs (what remains of the input is plain, escaped text)."""
    elements = parsed(render_markdown(hostile))
    for tag, attributes in elements:
        assert tag in SAFE_TAGS, tag
        for name, value in attributes:
            assert not name.startswith("on"), name
            if name == "href":
                assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"}, value
            assert name in {"href", "title", "rel", "start"}, name


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("<b>bold?</b>")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_mentions_are_found_case_insensitively_and_not_in_emails():
    body = "hi @QuietHeron12 and @Calm-Otter, mail a@b.example"
    assert {"quietheron12", "calm-otter"} <= mentioned_names(body)
    assert mentions_of(body, {"quietheron12", "calm-otter", "b.example"}) == {
        "quietheron12",
        "calm-otter",
    }


def test_a_chinese_mention_followed_by_text_without_a_space_means_the_known_name():
    body = "@安静苍鹭101你好，另请@安静苍鹭看看"
    assert "安静苍鹭101" in mentioned_names(body)
    # The longest known start wins; a shorter known name is not mentioned as well.
    assert mentions_of(body, {"安静苍鹭101", "安静苍", "安静苍鹭"}) == {"安静苍鹭101", "安静苍鹭"}
    linked = link_mentions(
        render_markdown(body), targets={"安静苍鹭101": "/forum/by/7/", "安静苍": "/forum/by/8/"}
    )
    assert '<a class="mention" href="/forum/by/7/">@安静苍鹭101</a>你好' in linked
    assert '<a class="mention" href="/forum/by/8/">@安静苍</a>鹭看看' in linked


def test_quote_names_the_pseudonym_and_quotes_every_line():
    text = quote_markdown(pseudonym="CalmOtter1", body="line one\n\nline two")
    assert text.startswith("> **@CalmOtter1:**")
    assert "> line one\n>\n> line two" in text


def test_plain_text_drops_tags():
    assert plain_text(render_markdown("**a** & <b>")).strip() == "a & <b>"


def test_mentions_of_known_pseudonyms_become_links_and_the_rest_stays_text():
    html = render_markdown(
        "hi @QuietHeron12 and @Nobody99, `@QuietHeron12` [x](https://a.example/@QuietHeron12)"
    )
    linked = link_mentions(html, targets={"quietheron12": "/forum/by/7/"})
    assert linked.count('<a class="mention" href="/forum/by/7/">@QuietHeron12</a>') == 1
    assert "@Nobody99" in linked and "/forum/by/" not in linked.replace(
        '<a class="mention" href="/forum/by/7/">', ""
    )
    assert "<code>@QuietHeron12</code>" in linked


def test_mention_links_stay_escape_safe():
    html = render_markdown('@静水_12 <script>alert(1)</script> "@静水_12"')
    linked = link_mentions(html, targets={"静水_12": '/forum/by/"><script>/'})
    assert "<script>" not in linked
    assert 'href="/forum/by/&quot;&gt;&lt;script&gt;/"' in linked
    assert linked.count(">@静水_12</a>") == 2
