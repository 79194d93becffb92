"""A board's list of notices, written in one pass rather than by the template's loop (the loop
was a quarter of the board page's CPU). Every value is escaped."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def notice_rows_html(notices, *, archive) -> SafeString:
    """The `<li>` of each notice of the board's page (rows of `board_listing`: url, title,
    pinned, must_acknowledge, acknowledged, first_published_at), as the template's loop wrote
    them inside `<ol class="notice-list">`; pinned notices are marked except in the archive."""
    # Translated outside the f-strings below (xgettext does not read inside them).
    pinned_badge = escape(pgettext("bulletins", "Pinned"))
    acknowledged_badge = escape(pgettext("bulletins", "Acknowledged"))
    please_badge = escape(_("Please acknowledge"))
    pinned_badge = f'<span class="badge">{pinned_badge}</span>'
    acknowledged_badge = f'<span class="badge ok">{acknowledged_badge}</span>'
    please_badge = f'<span class="badge warn">{please_badge}</span>'
    rows = []
    for notice in notices:
        pinned = notice["pinned"] and not archive
        if notice["must_acknowledge"]:
            acknowledge = acknowledged_badge if notice["acknowledged"] else please_badge
        else:
            acknowledge = ""
        published = notice["first_published_at"]
        if published is None:
            iso = day = ""
        else:
            published = localtime(published)
            iso, day = published.isoformat(), published.strftime("%Y-%m-%d")
        rows.append(
            f'\n  <li class="notice-item{" pinned" if pinned else ""}">\n'
            f'    <a href="{escape(notice["url"])}">{escape(notice["title"])}</a>\n'
            '    <span class="meta">\n'
            f"      {pinned_badge if pinned else ''}\n"
            f"      {acknowledge}\n"
            f'      <time datetime="{iso}">{day}</time>\n'
            "    </span>\n  </li>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


def home_rows_html(notices) -> SafeString:
    """The `<li>` of each notice of a home page list (`selectors._notice_summary`: url, title,
    published), as the template's loop wrote them: `<li><a href="{{ notice.url }}">{{
    notice.title }}</a> <time>{{ notice.published|date:"Y-m-d" }}</time></li>`."""
    rows = []
    for notice in notices:
        published = notice["published"]
        day = localtime(published).strftime("%Y-%m-%d") if published else ""
        rows.append(
            f'<li><a href="{escape(notice["url"])}">{escape(notice["title"])}</a>'
            f" <time>{day}</time></li>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
