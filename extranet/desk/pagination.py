"""The sales pages' page links written in one pass (issue 18): the same HTML as
extranet/includes/pagination.html, without an included template, two `{% querystring %}` tags
and four translation tags per page."""

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext


def _link(query, number: int) -> str:
    # `{% querystring page=number %}`: the request's query with its page replaced.
    params = query.copy()
    params["page"] = number
    return escape(f"?{params.urlencode()}")


def page_links(query, page) -> SafeString:
    """extranet/includes/pagination.html for `page` (a Paginator's page) and `query` (the
    request's GET), byte for byte."""
    pages = page.paginator.num_pages
    if pages <= 1:
        return SafeString("\n")
    previous = next_ = ""
    # Translated outside the f-strings below (xgettext does not read inside them).
    if page.has_previous():
        label = escape(pgettext("pagination", "Previous"))
        previous = f'<a href="{_link(query, page.previous_page_number())}" rel="prev">{label}</a>'
    if page.has_next():
        label = escape(pgettext("pagination", "Next"))
        next_ = f'<a href="{_link(query, page.next_page_number())}" rel="next">{label}</a>'
    where = gettext("Page %(number)s of %(total)s") % {
        "number": escape(localize(page.number)),
        "total": escape(localize(pages)),
    }
    label = escape(pgettext("pagination", "Pages"))
    return SafeString(
        f'\n<nav class="pagination" aria-label="{label}">\n  {previous}\n'
        f"  <span>{where}</span>\n  {next_}\n</nav>\n\n"
    )
