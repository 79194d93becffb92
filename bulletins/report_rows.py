"""The acknowledgement report's table rows, written in one pass rather than by template loops
(the people and the departments were half of the report page's CPU). Every value is escaped."""

import html

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _

NO_TIME = "—"


def _querystring(query, **changes) -> str:
    """What `{% querystring %}` writes for the request's `query` with `changes` (None drops a
    key), escaped for an attribute."""
    params = query.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    if not params and not query:
        return ""
    return escape(f"?{params.urlencode()}")


def _time(value, zone) -> str:
    # `{{ value|date:"Y-m-d H:i"|default:"—" }}`, in the reader's time zone (the same digits).
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else NO_TIME


def department_rows_html(departments, *, selected, query) -> SafeString:
    """The `<tr>` of each department's counts, each linking to its people."""
    show_people = escape(_("Show people"))
    # The rows' links differ only by the department's id: the link is written once with a
    # marker in its place (unless the query holds the marker's text), the id put in per row.
    marker = "DEPARTMENT"
    template = _querystring(query, department=marker, page=None)
    if template.count(marker) != 1:
        template = None
    rows = []
    for row in departments:
        current = ' aria-current="true"' if row is selected else ""
        department_id = str(row["department"].pk)
        if template is not None:
            link = template.replace(marker, department_id)
        else:
            link = _querystring(query, department=department_id, page=None)
        rows.append(
            f'<tr{current}><th scope="row">{escape(row["department"].display_name)}</th>'
            f"<td>{row['read']}</td><td>{row['acknowledged']}</td><td>{row['total']}</td>"
            f'<td><a href="{link}#people">{show_people}</a></td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


def people_rows_html(people) -> SafeString:
    """The `<tr>` of each person of the report's page (rows of `_report_page`)."""
    names = {}  # a page's fifty people are of a few departments: each name looked up once
    zone = get_current_timezone()
    rows = []
    for person in people:
        department = person["department"]
        if department.pk not in names:
            names[department.pk] = escape(department.display_name)
        # html.escape: what Django's `escape` does to a str, without its lazy-string wrapper.
        rows.append(
            f'<tr><td class="person-name">{html.escape(str(person["name"]))}</td>'
            f"<td>{names[department.pk]}</td><td>{_time(person['read_at'], zone)}</td>"
            f"<td>{_time(person['acknowledged_at'], zone)}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
