"""The report page's notice and its board read in one written-out SQL statement instead of two
ORM queries (building those queries was a third of the report's CPU besides its counts).

It mirrors `selectors.notice_managed_by` (the live notice, if it is on a board `user`
publishes on: `permissions.managed_boards`, compared by tree path as there) and the view's
read of its board (the notice's parent: its tree path without the last step), each with only
the fields the report reads (`selectors.REPORT_NOTICE_FIELDS`, `BOARD_HEADER_FIELDS`).
tests/integration/bulletins/test_report_notice.py checks it against the selector.
"""

from django.db import connections

from bulletins.models import Board, Notice
from bulletins.permissions import managed_boards

# The fields read, by attribute name, and their columns (`p`: the notice's page, `n`: the
# notice; `bp`, `b`: the board's), in the models' field order (`Model.from_db` reads a subset
# in that order).
_NOTICE_SOURCES = {
    "id": ("p", "id"),
    "path": ("p", "path"),
    "depth": ("p", "depth"),
    "live": ("p", "live"),
    "title": ("p", "title"),
    "slug": ("p", "slug"),
    "url_path": ("p", "url_path"),
    "page_ptr_id": ("n", "page_ptr_id"),
    "audience_all": ("n", "audience_all"),
    "must_acknowledge": ("n", "must_acknowledge"),
}
_BOARD_SOURCES = {
    "id": ("bp", "id"),
    "path": ("bp", "path"),
    "depth": ("bp", "depth"),
    "title": ("bp", "title"),
    "url_path": ("bp", "url_path"),
    "page_ptr_id": ("b", "page_ptr_id"),
    "kind": ("b", "kind"),
    "title_en": ("b", "title_en"),
}
_BOOLEANS = {"live", "audience_all", "must_acknowledge"}


def _in_field_order(model, sources):
    return {
        field.attname: sources[field.attname]
        for field in model._meta.concrete_fields
        if field.attname in sources
    }


NOTICE_COLUMNS = _in_field_order(Notice, _NOTICE_SOURCES)
BOARD_COLUMNS = _in_field_order(Board, _BOARD_SOURCES)


def notice_and_board_managed_by(*, user, notice_id) -> tuple[Notice, Board] | None:
    """(the live notice `notice_id`, its board) if the notice is on a board `user` publishes
    on, else None, as `notice_managed_by` answers."""
    paths = tuple(managed_boards(user).values())
    if not paths:
        return None
    try:
        notice_id = int(notice_id)
    except (ValueError, TypeError):
        return None
    connection = connections[Notice.objects.db]
    quote = connection.ops.quote_name
    pages = quote("wagtailcore_page")
    columns = [*NOTICE_COLUMNS.values(), *BOARD_COLUMNS.values()]
    sql = (
        "SELECT "  # noqa: S608 - names and placeholders only
        + ", ".join(f"{table}.{quote(column)}" for table, column in columns)
        + f" FROM {quote(Notice._meta.db_table)} n"
        f" INNER JOIN {pages} p ON p.id = n.page_ptr_id"
        f" INNER JOIN {pages} bp ON bp.path = SUBSTR(p.path, 1, LENGTH(p.path) - %s)"
        f" INNER JOIN {quote(Board._meta.db_table)} b ON b.page_ptr_id = bp.id"
        " WHERE n.page_ptr_id = %s AND p.live = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Board.steplen, notice_id, True])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row[: len(NOTICE_COLUMNS)])
    for index, name in enumerate(NOTICE_COLUMNS):
        if name in _BOOLEANS:
            values[index] = bool(values[index])
    notice = Notice.from_db(connection.alias, list(NOTICE_COLUMNS), values)
    if not notice.path.startswith(paths):
        return None
    board = Board.from_db(connection.alias, list(BOARD_COLUMNS), list(row[len(NOTICE_COLUMNS) :]))
    return notice, board
