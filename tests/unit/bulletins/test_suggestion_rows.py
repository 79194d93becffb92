"""The discussion page's suggestions written in Python (bulletins.suggestion_rows) say what the
template's loop said: escaped pseudonyms, marks and answers, the body as stored, times in the
reader's zone, and the board editors' mark forms."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils.translation import override

from bulletins.models import SuggestionMark
from bulletins.suggestion_rows import suggestion_rows_html

# The loop of bulletins/discussion.html these rows replace, as it was.
LOOP = "{% load i18n %}" + (
    '{% for post in suggestions %}\n    <li class="suggestion" id="post-{{ p'
    'ost.pk }}"{% if forloop.last %} data-latest{% endif %}>\n      <p class'
    '="meta"><strong class="pseudonym">{% if post.author %}{{ post.author.n'
    "ame }}{% else %}{{ post.signed_as }}{% endif %}</strong> <time datetim"
    'e="{{ post.created_at|date:\'c\' }}">{{ post.created_at|date:"Y-m-d H:i"'
    ' }}</time></p>\n      {% if post.is_deleted %}<p class="hint">{% transl'
    'ate "Deleted by its author." %}</p>{% else %}<div class="post-body">{{'
    " post.body_html|safe }}</div>{% endif %}\n      {% if post.mark %}\n    "
    '  <p class="mark mark-{{ post.mark.status }}"><span class="badge">{{ p'
    "ost.mark.get_status_display }}</span> {{ post.mark.answer }}</p>\n     "
    ' {% endif %}\n      {% if may_manage %}\n      <form method="post" class'
    '="mark-form" action="{% url \'bulletins:discussion_mark\' discussion.pk '
    'post.pk %}">{% csrf_token %}\n        <input type="hidden" name="page" '
    'value="{{ page.number }}">\n        <label for="status-{{ post.pk }}">{'
    '% translate "Status" context "bulletins" %}</label>\n        <select na'
    'me="status" id="status-{{ post.pk }}">{% for value, label in statuses '
    '%}<option value="{{ value }}"{% if post.mark.status == value %} select'
    "ed{% endif %}>{{ label }}</option>{% endfor %}</select>\n        <label"
    ' for="answer-{{ post.pk }}">{% translate "Short answer" context "bulle'
    'tins" %}</label>\n        <input type="text" name="answer" id="answer-{'
    '{ post.pk }}" maxlength="500" value="{{ post.mark.answer|default:\'\' }}'
    '">\n        <button type="submit">{% translate "Mark" %}</button>\n     '
    " </form>\n      {% endif %}\n    </li>\n    {% endfor %}"
)
STATUSES = SuggestionMark.Status.choices


def _posts():
    when = datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=UTC)
    return [
        SimpleNamespace(
            pk=11,
            author=SimpleNamespace(name='<b>"竹"</b>'),
            signed_as="",
            created_at=when,
            is_deleted=False,
            body_html="<p>好 &amp; 坏</p>",
            mark=SuggestionMark(status="adopted", answer="<i>采纳</i> & 'ok'"),
        ),
        SimpleNamespace(
            pk=12,
            author=None,
            signed_as="<签名>",
            created_at=when,
            is_deleted=True,
            body_html="<p>gone</p>",
            mark=None,
        ),
        SimpleNamespace(
            pk=13,
            author=SimpleNamespace(name="松"),
            signed_as="",
            created_at=datetime(2026, 12, 31, 20, 0, tzinfo=UTC),
            is_deleted=False,
            body_html="<p>x</p>",
            mark=SuggestionMark(status="not_adopted", answer=""),
        ),
    ]


@pytest.mark.parametrize("may_manage", [False, True])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_rows_are_what_the_template_loop_wrote(intranet, may_manage, language):
    posts = _posts()
    with override(language):
        expected = Template(LOOP).render(
            Context(
                {
                    "suggestions": posts,
                    "may_manage": may_manage,
                    "discussion": SimpleNamespace(pk=900),
                    "page": SimpleNamespace(number=3),
                    "statuses": STATUSES,
                    "csrf_token": "tok<en>",
                }
            )
        )
        html = suggestion_rows_html(
            posts,
            discussion_id=900,
            page_number=3,
            statuses=STATUSES,
            may_manage=may_manage,
            csrf_token="tok<en>",
        )
    assert html == expected


def test_user_text_is_escaped_and_the_body_kept():
    html = suggestion_rows_html(
        _posts(), discussion_id=900, page_number=1, statuses=STATUSES, may_manage=False
    )
    assert "&lt;b&gt;&quot;竹&quot;&lt;/b&gt;" in html
    assert "&lt;签名&gt;" in html
    assert "&lt;i&gt;采纳&lt;/i&gt; &amp; &#x27;ok&#x27;" in html
    assert "<p>好 &amp; 坏</p>" in html
    assert "<p>gone</p>" not in html  # a deleted suggestion's text is not shown
    assert html.count("data-latest") == 1 and 'id="post-13" data-latest' in html


def test_no_suggestions_no_rows():
    assert (
        suggestion_rows_html([], discussion_id=1, page_number=1, statuses=STATUSES, may_manage=True)
        == ""
    )
