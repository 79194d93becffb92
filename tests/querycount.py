"""Query-count checks: a page must run a bounded number of SQL queries that does not grow
with the data. Each page is measured at two data sizes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

SMALL, LARGE = 2, 30


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


def assert_bounded_queries(client, url, grow, *, max_queries, sizes=(SMALL, LARGE)):
    """`grow(n)` brings the data the page depends on to size n. The page is requested once
    before measuring, so per-process caches (sites, content types) do not count."""
    counts = {}
    for size in sizes:
        grow(size)
        client.get(url)
        counts[size] = count_queries(client, url)
    assert counts[sizes[0]] == counts[sizes[-1]], f"queries grow with the data: {counts}"
    assert counts[sizes[-1]] <= max_queries, f"{url}: {counts[sizes[-1]]} > {max_queries}"
    return counts
