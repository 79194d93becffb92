"""The boards as the index and the feeds pages list them: rows (`BoardLink`), not pages, and
the lists written out once per generation of the boards."""

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from bulletins.models import Board
from bulletins.permissions import managed_boards
from bulletins.selectors import BOARDS_GENERATION, URL_SAFE
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


# --- the index's and the feeds page's lists, kept written out --------------------------------
#
# Writing the lists out (a link, a title and a badge per board; a feed address per board) was
# most of these pages' cost, and they are the same for every reader but for the "you publish
# here" badges and the feed token. This process keeps them written out without those, under
# the boards' generation (`selectors.BOARDS_GENERATION`: a new one whenever a board, the index
# page, a department or a site changes, or a page moves or is deleted: `signals.board_changed`),
# the language, and what the addresses depend on (the host for Wagtail's page addresses, the URL
# configuration and script prefix for `reverse`). Nothing of a user is kept: the badges and the
# token are put in per request.

_MOST = 200
_kept: dict[tuple, object] = {}


def _keep(key: tuple, build):
    value = _kept.get(key)
    if value is None:
        value = build()
        if len(_kept) >= _MOST:
            _kept.clear()
        _kept[key] = value
    return value


def _generation(request) -> int:
    """The boards' generation, read once per request."""
    generation = getattr(request, "_bulletins_boards_generation", None)
    if generation is None:
        generation = request._bulletins_boards_generation = BOARDS_GENERATION.current()
    return generation


def _address_key() -> tuple:
    return (get_language(), get_urlconf(), get_script_prefix())


def index_page(request):
    """The live bulletins index page, or None. The instance is kept per generation (a new one
    whenever the page is saved, published, unpublished, moved or deleted): it is only served,
    and its `get_context` reads nothing of it but its id and, through Wagtail, its address."""
    from bulletins.models import BulletinIndexPage

    key = ("index", _generation(request))
    return _keep(key, lambda: (BulletinIndexPage.objects.live().first(),))[0]


def _index_items(index, request) -> dict[str, list[tuple[int, str]]]:
    """The index's two lists as (board id, its line up to where the badge goes)."""
    lists = boards_for_index(user=AnonymousUser(), index=index, request=request)
    return {
        name: [
            (board.pk, format_html('<li><a href="{}">{}</a>', board.url, board.display_title))
            for board in boards
        ]
        for name, boards in lists.items()
    }


def index_lists_html(*, user, index, request) -> dict[str, str]:
    """The index page's lists as HTML lines (`<li>`s; "" for an empty list) under the names
    `channels_html` and `department_boards_html`, the boards `user` publishes on marked with
    a badge, as the template's loops wrote them."""
    if getattr(request, "is_preview", False):
        # A preview's slug may not be the published page's: its lines are written anew.
        items = _index_items(index, request)
    else:
        key = ("index-items", _generation(request), index.pk, request.get_host(), *_address_key())
        items = _keep(key, lambda: _index_items(index, request))
    managed = managed_boards(user)
    badge = format_html(' <span class="badge">{}</span>', gettext("You publish here"))
    return {
        f"{name}_html": mark_safe(  # noqa: S308 (lines written out by format_html)
            "".join(f"{line}{badge if pk in managed else ''}</li>" for pk, line in lines)
        )
        for name, lines in items.items()
    }


# Stands for the feed token in the kept feed addresses: letters only, so that `reverse` leaves
# it as it is; each address is split there when kept, so nothing else is ever taken for it.
_PLACEHOLDER = "bulletinsfeedtoken"


def _feed_items() -> list[tuple[str, str, str]]:
    """The department boards' feed lines around their addresses' token: (the line up to the
    address, the address up to the token, the address after it), escaped."""
    lists = boards_for_index(user=AnonymousUser())
    items = []
    for board in lists["department_boards"]:
        address = reverse("bulletins:board_feed", args=[_PLACEHOLDER, board.pk])
        before, after = address.split(_PLACEHOLDER, 1)
        line = format_html(
            '<li>{}: <input readonly aria-label="{}" value="',
            board.display_title,
            board.display_title,
        )
        items.append((line, escape(before), escape(after)))
    return items


def feed_lines_html(*, token: str, request) -> str:
    """The feeds page's department boards' lines (`<li>`s) with the addresses of the personal
    `token`, as `{% url 'bulletins:board_feed' token board.pk %}` wrote them (`reverse`
    quotes its arguments with `URL_SAFE` kept, escaping is character by character)."""
    items = _keep(("feed-items", _generation(request), *_address_key()), _feed_items)
    origin = escape(f"{request.scheme}://{request.get_host()}")
    token = escape(quote(token, safe=URL_SAFE))
    return mark_safe(  # noqa: S308 (lines written out by format_html and escape)
        "".join(f'{line}{origin}{before}{token}{after}"></li>' for line, before, after in items)
    )
