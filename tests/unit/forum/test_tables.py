"""The forum's list rows rendered in Python show what the templates showed: links, tags, the
author by pseudonym only, escaped."""

from datetime import UTC, datetime
from types import SimpleNamespace

from django.urls import reverse
from django.utils import translation

from forum import tables

WHEN = datetime(2026, 3, 1, 4, 5, tzinfo=UTC)


def _topic(pk, **extra):
    values = {
        "pk": pk,
        "title": "Title <b>",
        "is_pinned": False,
        "is_locked": False,
        "is_new": False,
        "is_unread": False,
        "author_label": "<script>x</script>",
        "reply_count": 7,
        "last_post": None,
        "last_post_id": None,
        "last_activity_at": WHEN,
        "board": SimpleNamespace(display_name="Board & co"),
    }
    values.update(extra)
    return SimpleNamespace(**values)


def test_topic_rows_show_tags_links_and_escaped_pseudonyms():
    last = SimpleNamespace(author_label="Heron<1>")
    topics = [
        _topic(1, is_pinned=True, is_locked=True, is_new=True, is_unread=True),
        _topic(2, is_unread=True, last_post=last, last_post_id=99),
    ]
    with translation.override("en"):
        html = str(tables.topic_rows(topics, show_board=True))
    first, second = html.split("</tr>")[:2]
    assert 'class="tag">pinned<' in first and 'class="tag">locked<' in first
    assert 'class="tag new">new<' in first and "unread<" not in first
    assert (
        f'<a class="tag new" href="{reverse("forum:topic_unread", args=[2])}">unread</a>' in second
    )
    assert '<tr class="unread">' in second
    assert f'href="{reverse("forum:topic", args=[1])}">Title &lt;b&gt;</a>' in first
    assert (
        f'href="{reverse("forum:post", args=[99])}"><span class="pseudonym">Heron&lt;1&gt;'
        in second
    )
    assert 'by <span class="pseudonym">&lt;script&gt;x&lt;/script&gt;</span>' in first
    assert "· Board &amp; co" in first
    # The time is shown in the site's time zone (Asia/Shanghai), as the date filter did.
    assert '<time datetime="2026-03-01T12:05:00+08:00">2026-03-01 12:05</time>' in first
    assert "<script>" not in html


def test_board_rows_link_the_board_and_its_last_post():
    last = SimpleNamespace(topic_title="x" * 60, author_label="Heron")
    boards = [
        SimpleNamespace(
            slug="general",
            display_name="General",
            department_id=3,
            description="About <everything>",
            topic_count=4,
            post_count=12,
            last_post=last,
            last_post_id=5,
            last_activity_at=WHEN,
        ),
        SimpleNamespace(
            slug="empty",
            display_name="Empty",
            department_id=None,
            description="",
            topic_count=0,
            post_count=0,
            last_post=None,
            last_post_id=None,
            last_activity_at=WHEN,
        ),
    ]
    with translation.override("en"):
        html = str(tables.board_rows(boards))
    first, second = html.split("</tr>")[:2]
    assert f'href="{reverse("forum:board", args=["general"])}">General</a>' in first
    assert '<span class="tag">department</span>' in first
    assert "About &lt;everything&gt;" in first
    assert f'href="{reverse("forum:post", args=[5])}">{"x" * 49}…</a>' in first
    assert '<span class="pseudonym">Heron</span>' in first
    assert "No posts yet" in second and "tag" not in second
    assert '<time datetime="2026-03-01T12:05:00+08:00">2026-03-01 12:05</time>' in first


def test_board_rows_escape_and_truncate_as_the_template_did():
    boards = [
        SimpleNamespace(
            slug="a&b",
            display_name="<b>Board</b>",
            department_id=None,
            description="",
            topic_count=1,
            post_count=2,
            last_post=SimpleNamespace(topic_title="短" * 50, author_label="<i>Heron</i>"),
            last_post_id=5,
            last_activity_at=WHEN,
        )
    ]
    with translation.override("en"):
        html = str(tables.board_rows(boards))
    assert ">&lt;b&gt;Board&lt;/b&gt;</a>" in html and "a&amp;b" in html
    assert f">{'短' * 50}</a>" in html
    assert '<span class="pseudonym">&lt;i&gt;Heron&lt;/i&gt;</span>' in html
    assert "<b>" not in html and "<i>" not in html


# forum/_pages.html as it was, before `tables.topic_pages` wrote it.
OLD_PAGES_TEMPLATE = (
    "{% load i18n %}{% if page_count > 1 %}\n"
    '<nav class="pagination" aria-label="{% translate \'Pages of this topic\' %}">\n'
    "  {% for number in page_range %}{% if number is None %}<span>…</span>{% elif number == "
    'page_number %}<span aria-current="page">{{ number }}</span>{% else %}<a href="?page='
    '{{ number }}">{{ number }}</a>{% endif %}{% endfor %}\n'
    "</nav>\n"
    "{% endif %}\n"
)


def test_topic_pages_are_what_the_template_wrote():
    from django.template import Context, Template

    from forum.views.reading import _page_links

    template = Template(OLD_PAGES_TEMPLATE)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for count in (1, 2, 5, 9, 251, 12345):
                for number in sorted({1, 2, count // 2 or 1, count - 1 or 1, count}):
                    page_range = _page_links(number, count)
                    expected = template.render(
                        Context(
                            {"page_count": count, "page_number": number, "page_range": page_range}
                        )
                    )
                    found = tables.topic_pages(page_range, page_number=number, page_count=count)
                    assert str(found) == expected, (language, count, number)
