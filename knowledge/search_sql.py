"""The knowledge search's reads of the database, written out: which of the index's candidates a
reader may see (with their type and department, to count them), and what a page of hits shows.

`articles_visible_to` (selectors) stays the one description of who reads which article. When no
page anywhere has a view restriction (`shared_root_path` answers a path), an article is visible
on the face when it is live and lies under the face's knowledge base: `visible_among` is that
rule written out for a list of keys (as `browse_sql` writes it out for a browse). Restricted
trees keep the ORM's query (`search_hits.knowledge_search`). `hit_rows` reads the hits' fields by
key, after the visibility was decided; the body is not read (`search_hits` keeps each article's
plain text under the knowledge base's generation). Building the ORM's queries and twenty
Wagtail pages cost more than running the statements.
tests/integration/knowledge/test_search_sql.py checks both against the ORM, on both faces.
"""

from collections import namedtuple

from django.db import connections

from knowledge.browse_sql import LISTED_FIELDS
from knowledge.models import ArticlePage, KnowledgeType
from portal.models import Department

# What a hit shows, under the ORM's names: `pk`, then what a browse list item shows.
HIT_FIELDS = ("pk", *LISTED_FIELDS)
HitRow = namedtuple("HitRow", HIT_FIELDS)


def _tables(quote) -> str:
    return (
        f" FROM {quote(ArticlePage._meta.db_table)} a"
        f" INNER JOIN {quote(ArticlePage._meta.pk.related_model._meta.db_table)} p"
        " ON p.id = a.page_ptr_id"
    )


def _keys(ids) -> tuple[str, list[int]]:
    keys = [int(pk) for pk in ids]
    return ", ".join(["%s"] * len(keys)), keys


def visible_among(*, root_path: str, ids) -> dict[int, tuple[int, int]]:
    """Of the articles `ids`, those live under `root_path` (the face's knowledge base, as
    `shared_root_path` gives it): key -> (knowledge type's key, department's key)."""
    if not root_path or not ids:
        return {}
    connection = connections[ArticlePage.objects.db]
    placeholders, keys = _keys(ids)
    sql = (
        "SELECT a.page_ptr_id, a.knowledge_type_id, a.department_id"  # noqa: S608 - names only
        f"{_tables(connection.ops.quote_name)}"
        f" WHERE p.live = %s AND p.path LIKE %s AND a.page_ptr_id IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, f"{root_path}%", *keys])
        return {pk: (type_id, department_id) for pk, type_id, department_id in cursor.fetchall()}


def hit_rows(ids) -> dict[int, HitRow]:
    """The fields a hit shows of each article of `ids` (already known to be visible)."""
    if not ids:
        return {}
    connection = connections[ArticlePage.objects.db]
    quote = connection.ops.quote_name
    placeholders, keys = _keys(ids)
    sql = (
        "SELECT a.page_ptr_id, p.title, p.url_path, a.summary, p.first_published_at,"  # noqa: S608
        " a.view_count, a.helpful_yes, d.name, d.name_en, k.name, k.name_en"  # names only
        f"{_tables(quote)}"
        f" INNER JOIN {quote(Department._meta.db_table)} d ON d.id = a.department_id"
        f" INNER JOIN {quote(KnowledgeType._meta.db_table)} k ON k.id = a.knowledge_type_id"
        f" WHERE a.page_ptr_id IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, keys)
        fetched = cursor.fetchall()
    # SQLite gives the time as it is stored (naive, UTC): read it as the ORM reads it.
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    rows = {}
    for row in fetched:
        if convert is not None:
            row = (*row[:4], convert(row[4], None, connection), *row[5:])
        rows[row[0]] = HitRow._make(row)
    return rows
