"""A document's page: the document a reader may see, with what the page shows beside it, read
in one written-out SQL statement.

Building and compiling the ORM's query (the visibility rule's five tables and five joined
relations) was most of the page's CPU. The condition is the register list's
(`listing.visibility_sql`, tested equal to `documents_visible_to`), so the rule is still written
in two places only; tests/integration/documents/test_document_reading.py checks that every
reader gets exactly the documents `documents_shown_to` gives, with the same related objects.
"""

from django.db import connections

from documents.register.listing import visibility_sql
from documents.register.models import Category, DocumentFile, PolicyDocument
from portal.models import Department

# The relations `documents_shown_to` reads with the document, in the SELECT's order:
# (name, model, join, fields left out). A file's extracted text is never shown.
RELATED = (
    ("issuing_department", Department, "INNER JOIN {table} r0 ON r0.id = d.issuing_department_id"),
    ("category", Category, "LEFT OUTER JOIN {table} r1 ON r1.id = d.category_id"),
    ("official_file", DocumentFile, "LEFT OUTER JOIN {table} r2 ON r2.id = d.official_file_id"),
    ("supersedes", PolicyDocument, "LEFT OUTER JOIN {table} r3 ON r3.id = d.supersedes_id"),
    ("superseded_by", PolicyDocument, "LEFT OUTER JOIN {table} r4 ON r4.supersedes_id = d.id"),
)
LEFT_OUT = {DocumentFile: {"text"}}

_statements = {}


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in LEFT_OUT.get(model, ())]


def _converters(field, connection):
    """What the ORM applies to `field`'s value as read from this database (dates and datetimes
    on SQLite, booleans, ...)."""
    expression = field.get_col("d")
    return connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)


def _statement(connection):
    """The SELECT and FROM of the statement, with how to cut and convert its rows (once per
    database)."""
    statement = _statements.get(connection.alias)
    if statement is None:
        q = connection.ops.quote_name
        models = [("d", PolicyDocument)] + [(f"r{i}", m) for i, (_n, m, _j) in enumerate(RELATED)]
        columns, parts, start = [], [], 0
        for alias, model in models:
            fields = _fields(model)
            columns += [f"{alias}.{q(f.column)}" for f in fields]
            converters = [(i, c) for i, f in enumerate(fields) for c in _converters(f, connection)]
            parts.append(
                (model, start, start + len(fields), [f.attname for f in fields], converters)
            )
            start += len(fields)
        joins = " ".join(j.format(table=q(m._meta.db_table)) for _n, m, j in RELATED)
        table = q(PolicyDocument._meta.db_table)
        sql = f"SELECT {', '.join(columns)} FROM {table} d {joins}"  # noqa: S608 - names only
        statement = _statements[connection.alias] = (sql, parts)
    return statement


def _instance(connection, part, row):
    model, start, end, names, converters = part
    values = list(row[start:end])
    if values[0] is None:  # a left join that found nothing (the primary key comes first)
        return None
    for index, converter in converters:
        values[index] = converter(values[index], None, connection)
    return model.from_db(connection.alias, names, values)


def document_shown_to(*, user, pk) -> PolicyDocument | None:
    """The document `pk` if `user` may read it (`documents_visible_to`), with its department,
    category, official file (without its text), the document it supersedes and the one that
    superseded it, as `documents_shown_to(user=user).get(pk=pk)` reads them; else None."""
    connection = connections[PolicyDocument.objects.db]
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    low, high = connection.ops.integer_field_range(PolicyDocument._meta.pk.get_internal_type())
    if not low <= pk <= high:
        return None
    visibility = visibility_sql(user, connection.ops.quote_name)
    if visibility is None:
        return None
    condition, params = visibility
    sql, parts = _statement(connection)
    sql += " WHERE d.id = %s" + (f" AND {condition}" if condition else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, *params])
        row = cursor.fetchone()
    if row is None:
        return None
    document = _instance(connection, parts[0], row)
    for (name, _model, _join), part in zip(RELATED, parts[1:], strict=True):
        related = _instance(connection, part, row)
        if name == "superseded_by":
            relation = PolicyDocument.superseded_by.related
            relation.set_cached_value(document, related)
            if related is not None:
                relation.field.set_cached_value(related, document)
        else:
            field = PolicyDocument._meta.get_field(name)
            field.set_cached_value(document, related)
            if related is not None and field.one_to_one:
                field.remote_field.set_cached_value(related, document)
    return document


_file_statements = {}


def document_files(*, document) -> list[DocumentFile]:
    """The stored files of `document` (one its reader may see: `document_shown_to`), without
    their text, in the model's order (kind, newest version first, then id), as
    `DocumentFile.objects.filter(document_id=document.pk).defer("text")` reads them."""
    connection = connections[DocumentFile.objects.db]
    statement = _file_statements.get(connection.alias)
    if statement is None:
        q = connection.ops.quote_name
        fields = _fields(DocumentFile)
        columns = ", ".join(f"f.{q(f.column)}" for f in fields)
        converters = [(i, c) for i, f in enumerate(fields) for c in _converters(f, connection)]
        part = (DocumentFile, 0, len(fields), [f.attname for f in fields], converters)
        # The ORDER BY of `DocumentFile.Meta.ordering` (["kind", "-version", "pk"]).
        sql = (
            f"SELECT {columns} FROM {q(DocumentFile._meta.db_table)} f"  # noqa: S608 - names only
            f" WHERE f.{q('document_id')} = %s"
            f" ORDER BY f.{q('kind')} ASC, f.{q('version')} DESC, f.{q('id')} ASC"
        )
        statement = _file_statements[connection.alias] = (sql, part)
    sql, part = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, [document.pk])
        rows = cursor.fetchall()
    return [_instance(connection, part, row) for row in rows]
