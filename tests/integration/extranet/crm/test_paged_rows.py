"""The written-out lists' pages (extranet.crm.paged_rows): `page()` is the paginator's
`get_page()` (the last page, a page past it, below 1 or no integer, an empty list), reading a
page that has rows and the list's length in one statement."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from extranet.crm.models import Retailer
from extranet.crm.paged_rows import PagedRows
from tests.factories.extranet import OrderingRetailerFactory

pytestmark = pytest.mark.django_db


class StoreRows(PagedRows):
    fields = ("pk",)
    rows_sql = "SELECT r.id, COUNT(*) OVER () {source} ORDER BY r.id LIMIT %s OFFSET %s"

    def __init__(self, *, none=False):
        table = connection.ops.quote_name(Retailer._meta.db_table)
        super().__init__(None if none else f"FROM {table} r WHERE r.id > %s", [0])


NUMBERS = [None, "", "1", "2", "3", "4", "99", "0", "-1", "abc", "2.5", 2.0, str(10**30)]


@pytest.mark.parametrize("stores", [0, 1, 7, 9])
def test_pages_are_the_paginators_pages(stores):
    OrderingRetailerFactory.create_batch(stores)
    ids = list(Retailer.objects.order_by("pk").values_list("pk", flat=True))
    for number in NUMBERS:
        expected = Paginator(ids, 3).get_page(number)
        page = StoreRows().page(number, 3)
        assert [row["pk"] for row in page.object_list] == list(expected.object_list), number
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (
            expected.number,
            expected.paginator.count,
            expected.paginator.num_pages,
        ), number


def test_a_page_with_rows_is_one_statement_the_count_asked_apart_otherwise():
    OrderingRetailerFactory.create_batch(7)
    with CaptureQueriesContext(connection) as queries:
        page = StoreRows().page("3", 3)
    assert len(page.object_list) == 1 and page.paginator.count == 7
    assert len(queries) == 1
    # Past the last page: that page (no rows), the count, then the last page.
    with CaptureQueriesContext(connection) as queries:
        page = StoreRows().page("5", 3)
    assert page.number == 3 and len(page.object_list) == 1
    assert len(queries) == 3
    # No store at all for this reader: nothing read.
    with CaptureQueriesContext(connection) as queries:
        page = StoreRows(none=True).page("1", 3)
    assert list(page.object_list) == [] and page.paginator.count == 0
    assert len(queries) == 0


class KnownLengthRows(StoreRows):
    """A reader that knows the list's length beforehand: no count in its statement."""

    counted = False
    rows_sql = "SELECT r.id {source} ORDER BY r.id LIMIT %s OFFSET %s"


def test_a_length_known_beforehand_is_not_read():
    OrderingRetailerFactory.create_batch(7)
    ids = list(Retailer.objects.order_by("pk").values_list("pk", flat=True))
    for number in NUMBERS:
        expected = Paginator(ids, 3).get_page(number)
        rows = KnownLengthRows()
        rows.total = 7
        with CaptureQueriesContext(connection) as queries:
            page = rows.page(number, 3)
        assert [row["pk"] for row in page.object_list] == list(expected.object_list), number
        assert (page.number, page.paginator.count) == (expected.number, 7), number
        assert not [query for query in queries if "COUNT" in query["sql"]], number
    # Not given: asked apart.
    with CaptureQueriesContext(connection) as queries:
        page = KnownLengthRows().page("2", 3)
    assert page.paginator.count == 7 and len(page.object_list) == 3
    assert len(queries) == 2
