"""The inbox's rows, written in Python (portal.notices.listing), are the ones the template loop
wrote: in both languages, in the reader's time zone, escaped, the user name standing in for a
sender without a name."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal.notices.listing import INBOX_COLUMNS, inbox_rows_html
from portal.notices.selectors import notices_received_by
from tests.factories.notices import NoticeDeliveryFactory, NoticeFactory
from tests.factories.people import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD_ROWS = Template(
    "{% for notice in notices %}\n"
    "    <li><a href=\"{% url 'notices:detail' notice.pk %}\"><strong>{{ notice.subject }}"
    "</strong></a><br>\n"
    '      <span class="hint">{% firstof notice.sender.employee.name notice.sender.username %}'
    ' · {{ notice.sent_at|date:"Y-m-d H:i" }}</span></li>\n'
    "  {% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_are_the_template_s_and_escaped(language):
    reader = EmployeeFactory().user
    named = EmployeeFactory(name='<b>&"名').user
    unnamed = UserFactory(username='<i>&"u')
    late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    for sender, sent_at in ((named, late), (unnamed, timezone.now()), (named, None)):
        notice = NoticeFactory(sender=sender, subject='<b>&"subject', sent_at=sent_at)
        NoticeDeliveryFactory(notice=notice, recipient=reader)
    with translation.override(language):
        notices = notices_received_by(user=reader)
        written = inbox_rows_html(notices.values_list(*INBOX_COLUMNS))
        assert written == OLD_ROWS.render(Context({"notices": list(notices)}))
    assert "&lt;b&gt;&amp;&quot;subject" in written
    assert "&lt;i&gt;&amp;&quot;u" in written
    assert "<b>" not in written
