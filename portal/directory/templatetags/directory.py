"""The directory's person rows, rendered in Python: the directory page lists everyone, and the
template engine (with a URL reversal per row) took most of its time."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext

register = template.Library()

_MARK = 987654321


@register.simple_tag
def person_rows(people):
    """`<li class="person">` rows for `people` (`search_sql.DirectoryRow`s), in one pass.
    Every value is escaped (html.escape, quotes included) before it is placed in the markup."""
    card_url = reverse("directory:person", args=[_MARK]).replace(str(_MARK), "{}")
    extension_label = pgettext("directory", "Ext. %(extension)s")
    # The reader's language, asked once (portal.names.in_reader_language, for every row).
    english = (get_language() or "").startswith("en")
    rows = []
    for person in people:
        name, pinyin = escape(person.name), escape(person.name_pinyin)
        parts = [
            f'<li class="person"><a class="person-name" href="{card_url.format(person.pk)}">'
            f'{name}</a><span class="pinyin">{pinyin}</span>'
        ]
        if person.position_name is not None:
            position = (english and person.position_name_en) or person.position_name
            parts.append(f"<span>{escape(position)}</span>")
        department = (english and person.department_name_en) or person.department_name
        parts.append(f"<span>{escape(department)}</span>")
        if email := escape(person.email):
            parts.append(f'<a href="mailto:{email}">{email}</a>')
        if phone := escape(person.phone):
            parts.append(f'<a href="tel:{phone}">{phone}</a>')
        if person.extension:
            extension = escape(extension_label % {"extension": person.extension})
            parts.append(f"<span>{extension}</span>")
        if office := escape(person.office):
            parts.append(f"<span>{office}</span>")
        parts.append("</li>")
        rows.append("".join(parts))
    return mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)


_CODE_MARK = "department-code-mark"


@register.simple_tag
def department_nodes(nodes):
    """The `<li>` of each department of `nodes` (`selectors.DepartmentNode`s), its sections
    nested, written in one pass: the directory page's tree, once an include per department."""
    department_url = reverse("directory:department", args=[_CODE_MARK]).replace(_CODE_MARK, "{}")
    labels = {
        "open": conditional_escape(gettext("Open the department's page")),
        "english": (get_language() or "").startswith("en"),
    }
    parts = []
    _write_nodes(nodes, parts, department_url, labels)
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped)


def _write_nodes(nodes, parts, department_url, labels):
    for node in nodes:
        department = node.department
        name = (labels["english"] and department.name_en) or department.name
        opened = " open" if node.sections or node.members else ""
        parts.append(
            f"<li>\n  <details{opened}>\n    \n    <summary>{escape(name)}"
            f' <span class="count">({node.total})</span></summary>\n'
            f'    <p class="department-page"><a href="{department_url.format(department.code)}">'
            f"{labels['open']}</a></p>\n    "
        )
        if node.members:
            parts.append(f'\n    <ul class="people">{person_rows(node.members)}</ul>\n    ')
        parts.append("\n    ")
        if node.sections:
            parts.append('\n    <ul class="department-tree">')
            _write_nodes(node.sections, parts, department_url, labels)
            parts.append("</ul>\n    ")
        parts.append("\n  </details>\n</li>\n")
