"""The visit pages' lists as they show them, kept in the cache (issue 18): a page of rows
written out, the length of the list and, for the week, the count of stores due a visit. Reading
them (two or three statements and writing fifty rows) was half of the week's and the log's CPU;
a kept entry is two cache round trips. The stores not visited this cycle are kept the same way:
at the full scale finding an account manager's 500 stores' visits of the cycle cost 5 to 7 ms in
the database.

An entry is kept under `VISITS_GENERATION` (bumped by extranet.signals when a visit, a store or
an employee is saved or deleted, and by the visit services' bulk writes). Its key holds
everything the entry depends on: the list's name, its statement's conditions and parameters
(who sees which stores, the filters, the week, the account manager), what else the entry holds
depends on (`vary`: today's visit cycles for the due-a-visit count, today for the next planned
visits), the page, the language, the time zone and the URL configuration."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from extranet.crm.paged_rows import PagedRows, page_number
from extranet.crm.visits import VISITS_GENERATION

KEPT_TIMEOUT = 3600


@dataclass(frozen=True)
class KeptPage:
    page: Page  # the page of the list (its object_list stands for the rows: `rows` has them)
    rows: SafeString  # the page's rows as `write` wrote them
    also: object  # what `also()` gave, or None


def _key(generation: int, name: str, rows: PagedRows, vary, number, per_page: int) -> str:
    # The conditions' text and parameters hold spaces and quotes: the key has their digest.
    given = repr(
        (
            rows.source,
            rows.params,
            vary,
            number,
            per_page,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            get_urlconf(),
            get_script_prefix(),
        )
    )
    digest = hashlib.sha256(given.encode()).hexdigest()
    return f"extranet:desk:visits:{name}:{generation}:{digest}"


def _page(count: int, number: int, per_page: int) -> Page:
    return Paginator(range(count), per_page).page(number)


def kept_page(
    *,
    name: str,
    rows: PagedRows,
    number,
    per_page: int,
    write: Callable[[list[dict]], SafeString],
    also: Callable[[], object] | None = None,
    vary=(),
) -> KeptPage:
    """Page `number` of `rows` (as `Paginator.get_page` reads it) written by `write`, with
    `also()`, kept (see the module)."""
    wanted = page_number(number)
    # The generation read before the database: a change committed meanwhile makes what is
    # read now stale at once.
    generation = VISITS_GENERATION.current()
    key = None
    if wanted is not None:
        key = _key(generation, name, rows, vary, wanted, per_page)
        found = cache.get(key)
        if found is not None:
            count, shown, html, more = found
            return KeptPage(_page(count, shown, per_page), html, more)
    page = rows.page(number, per_page)
    html = write(page.object_list)
    more = also() if also is not None else None
    # Kept under the page shown: a page past the last is read again (it is no key of its own).
    if page.number != wanted:
        key = _key(generation, name, rows, vary, page.number, per_page)
    count = page.paginator.count
    cache.set(key, (count, page.number, html, more), KEPT_TIMEOUT)
    return KeptPage(_page(count, page.number, per_page), html, more)
