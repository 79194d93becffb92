"""The browse axes and the sort orders of a list of articles (`knowledge/_facets.html` and the
index's order links), written in one pass: a `{% querystring %}` per link, each copying and
encoding the request's parameters, was a third of the list pages' time."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from portal.escaping import text
from portal.querystrings import QueryStrings

CURRENT = ' aria-current="true"'


def _facet_items(facets, key, selected_value, links) -> str:
    return "".join(
        f'\n    <li><a href="{links(**{key: facet.value, "page": None})}"'
        f"{CURRENT if selected_value == facet.value else ''}>{text(facet.label)} "
        f'<span class="count">({facet.count})</span></a></li>\n    '
        for facet in facets
    )


def facets_html(*, types, departments, selected_type, selected_department, query) -> SafeString:
    """What `knowledge/_facets.html` renders for these facets and the request's `query`."""
    links = query if isinstance(query, QueryStrings) else QueryStrings(query)
    browse = text(gettext("Browse by classification"))
    types_title = text(pgettext("knowledge", "Knowledge types"))
    all_types = text(gettext("All types"))
    html = [
        f'\n<nav class="kb-facets" aria-label="{browse}">\n'
        f'  <h2 class="kb-facet-title">{types_title}</h2>\n'
        '  <ul class="filters">\n'
        f'    <li><a href="{links(type=None, page=None)}"{"" if selected_type else CURRENT}>'
        f"{all_types}</a></li>\n    ",
        _facet_items(types, "type", selected_type.slug if selected_type else None, links),
        "\n  </ul>\n  ",
    ]
    if departments or selected_department:
        departments_title = text(pgettext("knowledge", "Departments"))
        all_departments = text(gettext("All departments"))
        html += [
            f'\n  <h2 class="kb-facet-title">{departments_title}</h2>\n'
            '  <ul class="filters">\n'
            f'    <li><a href="{links(department=None, page=None)}"'
            f"{'' if selected_department else CURRENT}>"
            f"{all_departments}</a></li>\n    ",
            _facet_items(
                departments,
                "department",
                selected_department.code if selected_department else None,
                links,
            ),
            "\n  </ul>\n  ",
        ]
    html.append("\n</nav>\n")
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


def sorts_html(sorts, *, current: str, query) -> SafeString:
    """The `<li>` of each order of the index (`sorts` are its key and label)."""
    links = query if isinstance(query, QueryStrings) else QueryStrings(query)
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li><a href="{links(sort=key, page=None)}"{CURRENT if current == key else ""}>'
            f"{text(label)}</a></li>"
            for key, label in sorts
        )
    )
