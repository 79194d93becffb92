"""A page of one specific Wagtail page model at a known address of a site, read in one
written-out SQL statement (`portal.pages.route_page_at`), and a site's root page by its id
(`portal.pages.route_site_root`, mirroring `model.objects.filter(pk=…).first()`).

It mirrors the ORM query `route_page_at` made before:

    pages.filter(slug=<last slug>, url_path=<the site root page's url_path> + path).first()

for `pages` a queryset of a page model that inherits directly from Wagtail's Page, with no
filter, ordered as Wagtail's page managers order (by tree path: the first such page in the
tree if two pages shared the address, which Wagtail's slug rules prevent), and
`select_related` of its own foreign keys one level deep
(`ArticlePage.objects.select_related("department", "knowledge_type")`, `Board.objects.all()`):
the page row, its specific row and each related row, as `Model.from_db` builds them from the
ORM's own columns with the ORM's converters. Building and compiling that query (a model
inheriting from Page has some forty columns in two tables) was about half of an article
page's CPU. Liveness, expiry (an expired page is not live), view restrictions and the face
(the url_path lies under the face's site root) are decided by the callers exactly as before;
tests/integration/portal/test_page_reading.py checks the rows against the ORM's.
"""

from django.db import connections
from wagtail.models import Page

# (model, related names, database alias) -> (SQL, how to cut and convert its rows)
_statements: dict = {}


def written_out(pages) -> tuple[str, ...] | None:
    """The related names `pages` reads with each page if this module can read it as the ORM
    would (see above), else None (the caller then asks the ORM)."""
    model = pages.model
    query = pages.query
    if (
        model._meta.get_parent_list() != [Page]
        or model._meta.ordering
        or query.where
        or tuple(query.order_by) != ("path",)
        or query.deferred_loading != (frozenset(), True)
        or query.annotations
        or query.extra
        or query.distinct
        or query.low_mark
        or query.high_mark is not None
        or pages._prefetch_related_lookups
        or pages._fields is not None
        or pages._db is not None
    ):
        return None
    related = query.select_related
    if related is False:
        return ()
    if related is True:
        return None
    names = []
    for name, deeper in related.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - an unknown name: let the ORM say so
            return None
        if (
            deeper
            or not field.many_to_one
            or not field.concrete
            or field.related_model._meta.parents
            or field.related_model._meta.pk != field.target_field
        ):
            return None
        names.append(name)
    return tuple(names)


def _converters(field, connection):
    """What the ORM applies to `field`'s value as read from this database (dates and datetimes
    on SQLite, booleans, JSON and StreamField, ...)."""
    expression = field.get_col("p")
    return connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)


def _statement(model, names, connection, by="address"):
    """The statement reading a page of `model` with its related rows `names`: by its address
    (parameters: the root page's id, the last slug, the path under the root) or, `by="pk"`, by
    its id (parameter: the id)."""
    key = (model, names, connection.alias, by)
    statement = _statements.get(key)
    if statement is None:
        q = connection.ops.quote_name
        own = model._meta.concrete_fields
        tables = [("p", Page), ("s", model)]

        def column(alias_of_model, field):
            return f"{alias_of_model}.{q(field.column)}"

        def alias_for(field):
            return "p" if field.model is Page else "s"

        parts = [(model, own)]
        joins = []
        for index, name in enumerate(names):
            field = model._meta.get_field(name)
            related = field.related_model
            alias = f"r{index}"
            kind = "LEFT OUTER JOIN" if field.null else "INNER JOIN"
            joins.append(
                f"{kind} {q(related._meta.db_table)} {alias} "
                f"ON {alias}.{q(related._meta.pk.column)} = {column(alias_for(field), field)}"
            )
            parts.append((related, related._meta.concrete_fields))
            tables.append((alias, related))
        columns = [column(alias_for(f), f) for f in own]
        for (alias, _model), (_related, fields) in zip(tables[2:], parts[1:], strict=True):
            columns += [column(alias, f) for f in fields]
        cuts, start = [], 0
        for part_model, fields in parts:
            converters = [(i, c) for i, f in enumerate(fields) for c in _converters(f, connection)]
            cuts.append(
                (part_model, start, start + len(fields), [f.attname for f in fields], converters)
            )
            start += len(fields)
        page_table = q(Page._meta.db_table)
        pk = q(Page._meta.pk.column)
        # Table and column names only; the values are parameters.
        if by == "pk":
            root, where = [], [f"WHERE p.{pk} = %s"]
        else:
            root = [f"INNER JOIN {page_table} root ON root.{pk} = %s"]
            where = [
                f"WHERE p.{q('slug')} = %s AND p.{q('url_path')} = root.{q('url_path')} || %s",
                f"ORDER BY p.{q('path')} LIMIT 1",
            ]
        sql = " ".join(
            [
                f"SELECT {', '.join(columns)} FROM {page_table} p",  # noqa: S608
                f"INNER JOIN {q(model._meta.db_table)} s ON s.{q(model._meta.pk.column)} = p.{pk}",
                *root,
                *joins,
                *where,
            ]
        )
        statement = _statements[key] = (sql, cuts)
    return statement


def _instance(connection, cut, row):
    model, start, end, names, converters = cut
    values = list(row[start:end])
    for index, converter in converters:
        values[index] = converter(values[index], None, connection)
    return model.from_db(connection.alias, names, values)


def _read(pages, names, by, params):
    connection = connections[pages.db]
    sql, cuts = _statement(pages.model, names, connection, by)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    page = _instance(connection, cuts[0], row)
    for name, cut in zip(names, cuts[1:], strict=True):
        field = pages.model._meta.get_field(name)
        related = None if row[cut[1]] is None else _instance(connection, cut, row)
        field.set_cached_value(page, related)
    return page


def page_at(*, pages, names: tuple[str, ...], root_page_id: int, path: str):
    """The page of `pages` (`written_out(pages)` gave `names`) whose url_path is the root page
    `root_page_id`'s followed by `path` ("articles/<slug>/"), with its related rows `names`,
    as `pages.filter(slug=…, url_path=…).first()` reads it; None when there is none."""
    slugs = [component for component in path.split("/") if component]
    if not slugs:
        return None
    return _read(pages, names, "address", [root_page_id, slugs[-1], path])


def page_with_pk(*, pages, names: tuple[str, ...], pk: int):
    """The page `pk` of `pages` (`written_out(pages)` gave `names`) with its related rows
    `names`, as `pages.filter(pk=pk).first()` reads it; None when there is none."""
    return _read(pages, names, "pk", [pk])
