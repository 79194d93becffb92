"""The week's visits as the week page shows them, kept in the cache (issue 18): the page of rows
written out, the length of the list and the count of stores due a visit, for a day, the stores
the reader sees and the account manager shown. Reading them (three statements and writing fifty
rows) was half of the page's CPU; the kept entry is two cache round trips.

An entry is kept under `VISITS_GENERATION` (bumped by extranet.signals when a visit, a store or
an employee is saved or deleted, and by the visit services' bulk writes). Its key holds
everything the entry depends on: the statements' conditions and parameters (who sees which
stores, the week, the account manager, today's visit cycles), the page, the language, the time
zone and the URL configuration."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from extranet.crm.paged_rows import page_number
from extranet.crm.selectors import due_a_visit_where, retailers_due_a_visit_count
from extranet.crm.visit_rows import WeekVisitRows
from extranet.crm.visits import VISITS_GENERATION
from extranet.desk import tables

KEPT_TIMEOUT = 3600


@dataclass(frozen=True)
class KeptWeek:
    page: Page  # the page of the list (its object_list stands for the rows: `rows` has them)
    rows: SafeString  # the page's <tr> elements (tables.visit_week_rows)
    not_visited: int  # selectors.retailers_due_a_visit_count


def _key(generation: int, rows: WeekVisitRows, due, number, per_page: int) -> str:
    # The conditions' text and parameters may hold spaces and quotes: the key has their digest.
    given = repr(
        (
            rows.source,
            rows.params,
            due,
            number,
            per_page,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            get_urlconf(),
            get_script_prefix(),
        )
    )
    digest = hashlib.sha256(given.encode()).hexdigest()
    return f"extranet:desk:week:{generation}:{digest}"


def _page(count: int, number: int, per_page: int) -> Page:
    return Paginator(range(count), per_page).page(number)


def week_kept(*, user, monday, manager, today, number, per_page: int) -> KeptWeek:
    """The week page's rows and figures for `user` (see the module), page `number` as
    `Paginator.get_page` reads it."""
    rows = WeekVisitRows(user=user, monday=monday, manager=manager)
    due = due_a_visit_where(user=user, today=today, manager=manager)
    wanted = page_number(number)
    # The generation read before the database: a change committed meanwhile makes what is
    # read now stale at once.
    generation = VISITS_GENERATION.current()
    key = _key(generation, rows, due, wanted, per_page) if wanted is not None else None
    found = cache.get(key) if key is not None else None
    if found is not None:
        count, shown, html, not_visited = found
        return KeptWeek(_page(count, shown, per_page), html, not_visited)
    page = rows.page(number, per_page)
    html = tables.visit_week_rows(page.object_list)
    not_visited = retailers_due_a_visit_count(user=user, today=today, manager=manager)
    # Kept under the page shown: a page past the last is read again (it is no key of its own).
    if page.number != wanted:
        key = _key(generation, rows, due, page.number, per_page)
    cache.set(key, (page.paginator.count, page.number, html, not_visited), KEPT_TIMEOUT)
    return KeptWeek(_page(page.paginator.count, page.number, per_page), html, not_visited)
