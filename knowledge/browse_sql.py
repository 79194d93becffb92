"""A page of the articles the knowledge base's browse lists, read in one written-out SQL
statement when every reader of the face sees the same articles.

`articles_visible_to` (selectors) stays the one description of who reads which article, and
`listing._listed` the ORM's query of the rows a browse lists. When no page anywhere has a view
restriction (`shared_root_path` answers a path), an article is visible on the face when it is
live and lies under the face's knowledge base: the WHERE here is that rule written out, with
`articles_browse`'s filters (knowledge type, department, tag) and its orders (`SORTS`).
Building the ORM's query cost more than running it. Restricted trees keep the ORM's query.
tests/integration/knowledge/test_browse_sql.py checks that both give the same rows, in the
same order, on both faces, for every filter and order.

The knowledge base's path, "live" and the page's bounds are written into the statement, the
filters stay parameters. The settings make a statement run five times a prepared statement;
PostgreSQL then plans it once for any value if that plan does not look costlier than planning
for the values. With the path a parameter (`path LIKE $2`) it cannot estimate how many
articles match, so the plan for any value looks a dozen times costlier, and every browse was
planned again (about 0.5 ms, for 0.2 ms of reading). Written in, the path (a tree path: digits
and capital letters, checked) and the bounds (integers) let the plan be made once per
connection.
"""

import re
from collections import namedtuple

from django.db import connections

from knowledge.models import ArticlePage, ArticleTag, KnowledgeType
from portal.models import Department

# What each row holds: the fields the browse list shows, under the ORM's names (`listing._listed`
# reads the same fields, so both give the same named tuples).
LISTED_FIELDS = (
    "title",
    "url_path",
    "summary",
    "first_published_at",
    "view_count",
    "helpful_yes",
    "department__name",
    "department__name_en",
    "knowledge_type__name",
    "knowledge_type__name_en",
)
ArticleRow = namedtuple("ArticleRow", LISTED_FIELDS)

# A page's tree path (Wagtail's treebeard alphabet): safe to write into a statement.
_TREE_PATH = re.compile(r"[0-9A-Z]+")

# `listing.SORTS` written out (the same keys).
ORDERS = {
    "newest": "p.first_published_at DESC, a.page_ptr_id DESC",
    "helpful": "a.helpful_yes DESC, p.first_published_at DESC, a.page_ptr_id DESC",
    "views": "a.view_count DESC, p.first_published_at DESC, a.page_ptr_id DESC",
}


class ArticleRows:
    """The live articles under `root_path` narrowed by type, department (primary keys, or
    None for any) and tag (a name, or "" for any), in the order `sort`, as a sequence for a
    `Paginator`: its length is `total` (known from the counts), a slice is a page of
    `ArticleRow`s read in one query."""

    def __init__(
        self,
        *,
        root_path: str,
        total: int,
        sort: str,
        type_id: int | None = None,
        department_id: int | None = None,
        tag: str = "",
    ):
        self.connection = connections[ArticlePage.objects.db]
        quote = self.connection.ops.quote_name
        self.total = total
        conditions = ["p.live"]
        params: list = []
        if _TREE_PATH.fullmatch(root_path):
            conditions.append(f"p.path LIKE '{root_path}%%'")
        else:
            conditions.append("p.path LIKE %s")
            params.append(f"{root_path}%")
        tables = (
            f" FROM {quote(ArticlePage._meta.db_table)} a"
            f" INNER JOIN {quote(ArticlePage._meta.pk.related_model._meta.db_table)} p"
            " ON p.id = a.page_ptr_id"
        )
        if tag:
            tables += (
                f" INNER JOIN {quote(ArticleTag._meta.db_table)} at"
                " ON at.content_object_id = a.page_ptr_id"
                f" INNER JOIN {quote(ArticleTag.tag.field.related_model._meta.db_table)} t"
                " ON t.id = at.tag_id"
            )
            conditions.append("t.name = %s")
            params.append(tag)
        if department_id is not None:
            conditions.append("a.department_id = %s")
            params.append(department_id)
        if type_id is not None:
            conditions.append("a.knowledge_type_id = %s")
            params.append(type_id)
        tables += (
            f" INNER JOIN {quote(Department._meta.db_table)} d ON d.id = a.department_id"
            f" INNER JOIN {quote(KnowledgeType._meta.db_table)} k ON k.id = a.knowledge_type_id"
        )
        self.sql = (
            "SELECT p.title, p.url_path, a.summary, p.first_published_at, a.view_count,"  # noqa: S608
            " a.helpful_yes, d.name, d.name_en, k.name, k.name_en"  # names and placeholders only
            f"{tables} WHERE {' AND '.join(conditions)}"
            f" ORDER BY {ORDERS[sort]}"
        )
        self.params = params

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index) -> list[ArticleRow]:
        if not isinstance(index, slice):
            raise TypeError("ArticleRows is read by pages")
        start = index.start or 0
        if index.stop is None or index.stop <= start or start >= self.total:
            return []
        bounds = f" LIMIT {int(index.stop - start)} OFFSET {int(start)}"
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql + bounds, self.params)
            fetched = cursor.fetchall()
        # SQLite gives the time as it is stored (naive, UTC): read it as the ORM reads it.
        convert = getattr(self.connection.ops, "convert_datetimefield_value", None)
        if convert is None:
            return [ArticleRow._make(row) for row in fetched]
        return [
            ArticleRow(*row[:3], convert(row[3], None, self.connection), *row[4:])
            for row in fetched
        ]
