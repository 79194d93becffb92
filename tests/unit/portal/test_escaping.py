"""portal/escaping.py: `text` writes what Django's `escape` writes, and Django's escape,
installed without keep_lazy's check, gives the same result for every kind of value, lazy
strings included."""

from django.template import Context, Template
from django.utils import html, translation
from django.utils.functional import Promise, lazystr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from portal import escaping
from portal.escaping import text


def djangos(text):
    """Django's own escape (the function keep_lazy wraps)."""
    return html.escape.__wrapped__(text)


def test_the_portals_escape_is_installed():
    assert getattr(html.escape, "portal_escape", False)
    escaping.install()  # a second call changes nothing
    assert html.escape.__wrapped__.__module__ == "django.utils.html"


def test_same_result_as_djangos_for_every_kind_of_value():
    values = ["<a href=\"x\">&'安全'</a>", "", 42, 3.5, None, mark_safe("<b>"), b"<x>", ["<"]]
    for value in values:
        escaped = html.escape(value)
        assert escaped == djangos(value) and type(escaped) is SafeString


def test_a_lazy_string_stays_lazy_and_follows_the_language():
    lazy = gettext_lazy("Search")
    escaped = html.escape(lazy)
    assert isinstance(escaped, Promise)
    with translation.override("zh-hans"):
        assert str(escaped) == "搜索"
    with translation.override("en"):
        assert str(escaped) == "Search"
    assert str(html.escape(lazystr("<i>"))) == "&lt;i&gt;"


def test_templates_escape_through_it():
    rendered = Template("{{ v }}|{{ s }}").render(Context({"v": "<安>&\"'", "s": mark_safe("<b>")}))
    assert rendered == "&lt;安&gt;&amp;&quot;&#x27;|<b>"
    assert html.conditional_escape("<") == "&lt;"


def test_text_is_djangos_escape():
    for value in ["<b>\"甲\" & '乙'</b>", mark_safe("<i>safe</i>"), 42, None, "", "烟叶"]:
        assert text(value) == djangos(value)
    assert text(gettext_lazy("Search")) == djangos(gettext_lazy("Search"))
    assert text(mark_safe("<i>")) == "&lt;i&gt;"  # escaped even when marked safe


def test_escaped_once_escapes_each_value_once_and_alike():
    from portal.escaping import escaped_once

    escaped = escaped_once()
    first = escaped('<b class="x">&</b>')
    assert first == "&lt;b class=&quot;x&quot;&gt;&amp;&lt;/b&gt;"
    assert escaped('<b class="x">&</b>') is first  # the same string, not escaped again
    assert escaped(7) == "7"


def test_url_around_pk_puts_a_key_where_reverse_does():
    from django.urls import reverse

    from portal.escaping import url_around_pk

    before, after = url_around_pk("documents:report_detail")
    assert f"{before}42{after}" == reverse("documents:report_detail", args=[42])
