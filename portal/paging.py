"""A list's number of rows told by the page that was read, for lists that keep their count
(the documents register, the report boxes): counting is then needed only where the page cannot
tell it."""

from collections.abc import Callable


def total_told_by_page(
    *, offset: int, per_page: int, fetched: int, kept: Callable[[], int | None]
) -> int | None:
    """The number of rows of a list whose page at `offset` was read with one row more than
    `per_page` (`fetched` rows came back), or None where it must be counted.

    On the last page it is the rows before and on it. On a page with more after it, it is the
    kept number (`kept()`, asked only then) if that goes beyond the page; a kept number the page
    contradicts, or none, is not used. A page past the end tells nothing. So a kept number that
    missed a change can misstate the number of pages on a page before the last, but never hides
    a page or a row."""
    if fetched > per_page:
        number = kept()
        return number if number is not None and number > offset + per_page else None
    if fetched or offset == 0:
        return offset + fetched
    return None
