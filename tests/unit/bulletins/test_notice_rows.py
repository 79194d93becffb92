"""A board's notice rows written in Python (bulletins.notice_rows) say what the template's loop
said: escaped titles and addresses, the badges, times in the reader's zone."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils.translation import override

from bulletins.notice_rows import notice_rows_html

# The loop of bulletins/board.html these rows replace, as it was.
LOOP = "{% load i18n %}" + (
    '{% for notice in notices %}\n  <li class="notice-item{% if notice.pinne'
    'd and not archive %} pinned{% endif %}">\n    <a href="{{ notice.url }}'
    '">{{ notice.title }}</a>\n    <span class="meta">\n      {% if notice.pi'
    'nned and not archive %}<span class="badge">{% translate "Pinned" context "bulletins" %}</s'
    "pan>{% endif %}\n      {% if notice.must_acknowledge %}{% if notice.ack"
    'nowledged %}<span class="badge ok">{% translate "Acknowledged" context'
    ' "bulletins" %}</span>{% else %}<span class="badge warn">{% translate '
    '"Please acknowledge" %}</span>{% endif %}{% endif %}\n      <time datet'
    "ime=\"{{ notice.first_published_at|date:'c' }}\">{{ notice.first_publish"
    'ed_at|date:"Y-m-d" }}</time>\n    </span>\n  </li>\n  {% endfor %}'
)


def _rows():
    when = datetime(2026, 3, 1, 17, 2, 3, 456789, tzinfo=UTC)
    base = {"pinned": False, "must_acknowledge": False, "acknowledged": False}
    return [
        {
            **base,
            "url": '/bulletins/b/%E9%80%9A&x="1"/',
            "title": '<b>"安全月"</b> & more',
            "first_published_at": when,
            "pinned": True,
        },
        {
            **base,
            "url": "/n/2/",
            "title": "通知",
            "first_published_at": when,
            "must_acknowledge": True,
        },
        {
            **base,
            "url": "/n/3/",
            "title": "通知",
            "first_published_at": None,
            "must_acknowledge": True,
            "acknowledged": True,
            "pinned": True,
        },
    ]


@pytest.mark.parametrize("archive", [False, True])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_rows_are_what_the_template_loop_wrote(archive, language):
    with override(language):
        expected = Template(LOOP).render(Context({"notices": _rows(), "archive": archive}))
        assert notice_rows_html(_rows(), archive=archive) == expected


def test_titles_and_addresses_are_escaped():
    html = notice_rows_html(_rows(), archive=False)
    assert "&lt;b&gt;&quot;安全月&quot;&lt;/b&gt; &amp; more" in html
    assert 'href="/bulletins/b/%E9%80%9A&amp;x=&quot;1&quot;/"' in html
    assert notice_rows_html([], archive=False) == ""
