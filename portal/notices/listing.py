"""The inbox's `<li>` rows written in one Python pass from `.values_list()` rows, as the
template loop of notices/inbox.html wrote them (issue 18)."""

from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from portal.escaping import text

# What each row holds (`values_list` fields, in this order).
INBOX_COLUMNS = ("pk", "subject", "sent_at", "sender__employee__name", "sender__username")

_MARKER = 987654321


def inbox_rows_html(rows) -> SafeString:
    """The notices of an inbox page (`INBOX_COLUMNS` tuples) as `<li>` elements: the subject
    linked to the notice, the sender's name (their user name without one) and when it was
    sent, in the current time zone."""
    detail_url = reverse("notices:detail", args=[_MARKER])
    head, tail = detail_url.split(str(_MARKER))
    out = []
    for pk, subject, sent_at, name, username in rows:
        sent = dateformat.format(localtime(sent_at), "Y-m-d H:i") if sent_at else ""
        out.append(
            f'\n    <li><a href="{text(f"{head}{pk}{tail}")}"><strong>{text(subject)}</strong>'
            f'</a><br>\n      <span class="hint">{text(name or username or "")} · {sent}'
            "</span></li>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
