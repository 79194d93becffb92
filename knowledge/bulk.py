"""Many articles at once, for the benchmark's data and the query-count tests.

Creating pages through treebeard's `add_child` costs several queries each (20,000 articles
would take many minutes), and Django cannot `bulk_create` a multi-table model. Here the
`wagtailcore_page` rows are bulk-created with their tree paths computed, then the article rows
are inserted in batches. The result is what publishing would leave: live pages with one
revision-less state, no workflow, no audit entries, no search index update (rebuild the index
afterwards when it matters).
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Locale, Page

from knowledge.models import ArticlePage
from knowledge.services import articles_changed

BATCH = 500


@dataclass
class ArticleSpec:
    title: str
    slug: str
    department_id: int
    knowledge_type_id: int
    summary: str = ""
    body: list = field(default_factory=list)
    owner_id: int | None = None
    published_at: datetime | None = None
    review_by: date | None = None
    view_count: int = 0
    helpful_yes: int = 0
    helpful_no: int = 0


def _insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(columns))
    names = ", ".join(quote(column) for column in columns)
    # Table and column names are ours (quoted), the values are parameters.
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})"  # noqa: S608
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start : start + BATCH])


def _body_json(body: list) -> str:
    return json.dumps([{"id": str(uuid.uuid4()), **block} for block in body], cls=DjangoJSONEncoder)


def articles_bulk_create(*, parent: Page, specs: list[ArticleSpec]) -> int:
    """Add live articles under `parent` (a knowledge index page); returns how many.

    Plain INSERTs in batches: model instances of Wagtail pages are costly to build, and
    20,000 of them took most of a minute."""
    if not specs:
        return 0
    content_type_id = ContentType.objects.get_for_model(ArticlePage).pk
    locale_id = parent.locale_id or Locale.get_default().pk
    ops = connection.ops
    with transaction.atomic(), connection.cursor() as cursor:
        parent = Page.objects.select_for_update().get(pk=parent.pk)
        last = parent.get_last_child()
        start = (int(last.path[-Page.steplen :], 36) if last else 0) + 1
        depth = parent.depth + 1
        now = timezone.now()
        page_rows, paths = [], []
        for offset, spec in enumerate(specs):
            published = ops.adapt_datetimefield_value(spec.published_at or now)
            path = Page._get_path(parent.path, depth, start + offset)
            paths.append(path)
            page_rows.append(
                (
                    path, depth, 0, spec.title, spec.title, spec.slug, content_type_id,
                    True, False, f"{parent.url_path}{spec.slug}/", spec.owner_id, "", False,
                    False, published, published, published, locale_id, str(uuid.uuid4()), "",
                    False,
                )
            )  # fmt: skip
        _insert(
            cursor,
            Page._meta.db_table,
            [
                "path", "depth", "numchild", "title", "draft_title", "slug", "content_type_id",
                "live", "has_unpublished_changes", "url_path", "owner_id", "seo_title",
                "show_in_menus", "locked", "first_published_at", "last_published_at",
                "latest_revision_created_at", "locale_id", "translation_key",
                "search_description", "expired",
            ],
            page_rows,
        )  # fmt: skip
        ids = dict(
            Page.objects.filter(depth=depth, path__gte=paths[0], path__lte=paths[-1]).values_list(
                "path", "pk"
            )
        )
        article_rows = [
            (
                ids[path], spec.department_id, spec.knowledge_type_id, spec.summary,
                _body_json(spec.body), ops.adapt_datefield_value(spec.review_by),
                spec.view_count, spec.helpful_yes, spec.helpful_no,
            )
            for path, spec in zip(paths, specs, strict=True)
        ]  # fmt: skip
        _insert(
            cursor,
            ArticlePage._meta.db_table,
            [
                "page_ptr_id", "department_id", "knowledge_type_id", "summary", "body",
                "review_by", "view_count", "helpful_yes", "helpful_no",
            ],
            article_rows,
        )  # fmt: skip
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(specs))
        articles_changed()
    return len(specs)
