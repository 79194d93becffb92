"""The notice page's board and reader's state read in one written-out SQL statement instead of
the ORM's annotated query (building that query was about two fifths of the notice page's CPU).

It mirrors `selectors.notice_reader_state`: whether `user` may read the live notice (as
`notices_visible_to` decides: a superuser, a notice for all staff, an editor of its board by
`permissions.managed_boards`' tree paths, else an addressed department of
`selectors.audience_department_ids`), its board (the notice's parent: its tree path without the
last step, with only `selectors.BOARD_HEADER_FIELDS`), whether the reader has read and (when it
asks for it) acknowledged the notice, and whether it has attachments.
tests/integration/bulletins/test_notice_reader.py checks it against the selector for every role.
"""

from django.db import connections

from bulletins.models import Acknowledgement, Board, Notice, NoticeAttachment, NoticeRead
from bulletins.report_notice import BOARD_COLUMNS
from bulletins.selectors import AudienceLink, audience_department_ids, notice_open_to


def notice_reader_state_read(*, notice: Notice, user) -> dict | None:
    """`notice_reader_state(notice=…, user=…)`'s answer (the board, "read", "acknowledged",
    "has_attachments"), or None when `user` may not read `notice`; in one query."""
    visible = notice_open_to(notice=notice, user=user)
    if visible is None:
        return None
    connection = connections[Board.objects.db]
    quote = connection.ops.quote_name
    exists = [
        (
            f"EXISTS (SELECT 1 FROM {quote(NoticeRead._meta.db_table)}"  # noqa: S608
            " WHERE notice_id = %s AND user_id = %s)",
            [notice.pk, user.pk],
        ),
        (
            f"EXISTS (SELECT 1 FROM {quote(NoticeAttachment._meta.db_table)}"  # noqa: S608
            " WHERE notice_id = %s)",
            [notice.pk],
        ),
    ]
    if notice.must_acknowledge:
        exists.append(
            (
                f"EXISTS (SELECT 1 FROM {quote(Acknowledgement._meta.db_table)}"  # noqa: S608
                " WHERE notice_id = %s AND user_id = %s)",
                [notice.pk, user.pk],
            )
        )
    if not visible:
        department_ids = audience_department_ids(user)
        if not department_ids:
            # Addressed to none of no departments (the ORM's empty `__in`).
            return None
        exists.append(
            (
                f"EXISTS (SELECT 1 FROM {quote(AudienceLink._meta.db_table)}"  # noqa: S608
                " WHERE notice_id = %s AND department_id IN"
                f" ({', '.join(['%s'] * len(department_ids))}))",
                [notice.pk, *department_ids],
            )
        )
    # The board's columns (`bp`: its page, `b`: the board) as the report reads them:
    # `BOARD_HEADER_FIELDS` and the parent link, in the model's field order.
    columns = [f"{table}.{quote(column)}" for table, column in BOARD_COLUMNS.values()]
    sql = (
        "SELECT "  # noqa: S608 - names and placeholders only
        + ", ".join([*columns, *(clause for clause, _ in exists)])
        + f" FROM {quote('wagtailcore_page')} bp"
        f" INNER JOIN {quote(Board._meta.db_table)} b ON b.page_ptr_id = bp.id"
        " WHERE bp.path = %s"
    )
    params = [value for _, values in exists for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, notice.path[: -Notice.steplen]])
        row = cursor.fetchone()
    if row is None:
        raise Board.DoesNotExist("Board matching query does not exist.")
    board = Board.from_db(connection.alias, list(BOARD_COLUMNS), list(row[: len(BOARD_COLUMNS)]))
    answers = [bool(value) for value in row[len(BOARD_COLUMNS) :]]
    read, has_attachments = answers[0], answers[1]
    acknowledged = answers[2] if notice.must_acknowledge else False
    if not visible and not answers[-1]:
        return None
    return {
        "board": board,
        "read": read,
        "acknowledged": acknowledged,
        "has_attachments": has_attachments,
    }
