"""The home page's pinned and unacknowledged lists read their notices through the partial indexes
of migration 0003 (a plain index on expires_at once led SQLite to read every notice)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.models import Notice
from bulletins.selectors import (
    NOTICES_GENERATION,
    audience_department_ids,
    home_shared_lists,
    home_unacknowledged,
)
from tests.factories.bulletins import NoticeFactory

pytestmark = pytest.mark.django_db

INDEXES = {
    "pinned": "bulletins_notice_pinned_idx",
    "must_acknowledge": "bulletins_notice_must_ack_idx",
}


def _home_queries(user):
    with CaptureQueriesContext(connection) as captured:
        generation = NOTICES_GENERATION.current()
        home_shared_lists(audience_department_ids(user), generation)
        home_unacknowledged(user=user, generation=generation, acknowledged=0)
    return [query["sql"] for query in captured.captured_queries]


def _the_query_filtering_on(column, queries):
    term = f'"bulletins_notice"."{column}")'
    found = [sql for sql in queries if term in sql or f'"bulletins_notice"."{column}" AND' in sql]
    assert len(found) == 1, queries
    return found[0]


def test_the_home_lists_have_their_indexes(employee, sales_board):
    NoticeFactory(board=sales_board, pinned=True)
    NoticeFactory(board=sales_board, must_acknowledge=True)
    constraints = connection.introspection.get_constraints(
        connection.cursor(), Notice._meta.db_table
    )
    for name in INDEXES.values():
        assert constraints[name]["columns"] == ["expires_at"], name
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans by its statistics; the indexes exist, checked above.
    queries = _home_queries(employee)
    for column, index in INDEXES.items():
        sql = _the_query_filtering_on(column, queries)
        with connection.cursor() as cursor:
            plan = " | ".join(row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert f"USING INDEX {index}" in plan, plan
        assert "MULTI-INDEX OR" not in plan, plan
