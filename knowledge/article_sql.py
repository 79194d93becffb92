"""The article page's two small statements, written out: building and compiling them through
the ORM cost more CPU than the rest of what the page asks the database.

* `vote_of` reads the reader's vote as `HelpfulVote.objects.filter(article=…, user=…).first()`
  does (the newest, as the model orders votes; there is one per reader and article).
* `view_count_add` is `ArticlePage.objects.filter(pk=…).update(view_count=F("view_count") + 1)`:
  one UPDATE, no revision, no search index update.

tests/integration/knowledge/test_article_sql.py compares both with the ORM's.
"""

from django.db import connections

from knowledge.models import ArticlePage, HelpfulVote


def vote_of(*, article_id: int, user_id: int) -> HelpfulVote | None:
    """The reader's "Was this helpful?" answer to the article, or None."""
    q = connections[HelpfulVote.objects.db].ops.quote_name
    table = q(HelpfulVote._meta.db_table)
    columns = ", ".join(q(f.column) for f in HelpfulVote._meta.concrete_fields)
    sql = (
        f"SELECT {columns} FROM {table} WHERE {q('article_id')} = %s"  # noqa: S608 - names only
        f" AND {q('user_id')} = %s ORDER BY {q('created_at')} DESC LIMIT 1"
    )
    return next(iter(HelpfulVote.objects.raw(sql, [article_id, user_id])), None)


def view_count_add(*, article_id: int) -> None:
    """One more view of the article."""
    connection = connections[ArticlePage.objects.db]
    q = connection.ops.quote_name
    sql = (
        f"UPDATE {q(ArticlePage._meta.db_table)} SET {q('view_count')} = {q('view_count')} + 1"  # noqa: S608
        f" WHERE {q(ArticlePage._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [article_id])
