"""The boards as the index and the feeds pages list them: rows (`BoardLink`), not pages."""

from dataclasses import dataclass
from urllib.parse import quote

from bulletins.models import Board
from bulletins.permissions import managed_boards
from bulletins.selectors import URL_SAFE
from portal.names import in_reader_language


@dataclass
class BoardLink:
    """What the index and the feeds page show of a board (rows, not pages: twenty page
    instances and their `pageurl`s were a quarter of the index's CPU). `url` is its address
    as `{% pageurl board %}` wrote it ("" unless asked for)."""

    pk: int
    title: str
    title_en: str
    kind: str
    path: str
    depth: int
    managed: bool
    url: str = ""

    @property
    def display_title(self):
        return in_reader_language(self.title, self.title_en)

    @property
    def is_channel(self):
        return self.kind in Board.CHANNELS


BOARD_LINK_FIELDS = ("pk", "title", "title_en", "kind", "path", "depth", "slug", "url_path")


def _board_url(row: dict, *, index, index_url: str, request) -> str:
    """The board's `pageurl`: a board under the index is the index's address and its slug
    (as `board_listing` writes its notices'); any other as Wagtail writes it."""
    if index is not None and row["path"][: -Board.steplen] == index.path:
        return f"{index_url}{quote(row['slug'], safe=URL_SAFE)}/"
    board = Board.from_db(
        Board.objects.db,
        ["id", "path", "depth", "slug", "url_path", "page_ptr_id"],
        [row["pk"], row["path"], row["depth"], row["slug"], row["url_path"], row["pk"]],
    )
    return board.get_url(request=request)


def boards_for_index(*, user, index=None, request=None) -> dict:
    """The channels and the department boards (`BoardLink`s), and which of them `user`
    publishes on; with their addresses when `index` (the bulletins' index page) is given."""
    rows = Board.objects.live().order_by("department__sort_order", "pk").values(*BOARD_LINK_FIELDS)
    managed = managed_boards(user)
    index_url = index.get_url(request=request) if index is not None else ""
    boards = [
        BoardLink(
            pk=row["pk"],
            title=row["title"],
            title_en=row["title_en"],
            kind=row["kind"],
            path=row["path"],
            depth=row["depth"],
            managed=row["pk"] in managed,
            url=_board_url(row, index=index, index_url=index_url, request=request)
            if index is not None
            else "",
        )
        for row in rows
    ]
    return {
        "channels": [board for board in boards if board.is_channel],
        "department_boards": [board for board in boards if not board.is_channel],
    }
