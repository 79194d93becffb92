"""A discussion's counts, read in one written-out SQL statement: how many suggestions it has
(the replies `forum.selectors.topic_replies` lists: its forum topic's posts after the first, a
hidden one left out) and how many of them the board marked with each status (the page's
`SuggestionMark` counts in `discussion_page_context`). Three ORM queries (the paginator's
count and the marks' grouped count) were a third of the discussion page's CPU.
tests/integration/bulletins/test_suggestion_counts.py checks both give the same figures.
"""

from django.db import connections

from bulletins.models import Discussion, SuggestionMark
from forum.selectors import topic_replies_count_sql


def suggestion_counts(*, discussion: Discussion) -> tuple[int, dict[str, int]]:
    """(the number of the discussion's suggestions, {mark status: how many suggestions have
    it} for every status)."""
    connection = connections[SuggestionMark.objects.db]
    q = connection.ops.quote_name
    statuses = [value for value, _label in SuggestionMark.Status.choices]
    per_status = ", ".join("SUM(CASE WHEN m.status = %s THEN 1 ELSE 0 END)" for _status in statuses)
    replies_sql, replies_params = topic_replies_count_sql(q, discussion.forum_topic_id)
    sql = (
        f"SELECT ({replies_sql}),"  # noqa: S608 - names only
        f" {per_status} FROM {q(SuggestionMark._meta.db_table)} m WHERE m.discussion_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*replies_params, *statuses, discussion.pk])
        replies, *counts = cursor.fetchone()
    return replies, {status: count or 0 for status, count in zip(statuses, counts, strict=True)}
