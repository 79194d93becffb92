"""The feedback desk's figures and the length of its list, kept in the cache (issue 18): at the
full scale (50,000 items) reading them was two thirds of the list page's database time (the
on-time rates aggregate every item of twelve months), where the page of rows alone is read
through an index in a fraction of a millisecond.

An entry is kept under `selectors.FEEDBACK_GENERATION` (bumped by extranet.signals when an item,
an employee or a department is saved or deleted) and holds only while no call-back not made
falls due: an overdue call-back, the overdue list's length and the on-time rates change with
time alone at that moment, so the entry says when (`DeskFigures.until`: the first due time of
the call-backs pending when it was read) and is read again from then on. Its key holds
everything the figures depend on besides: who sees which items (the rule's text and
parameters), the list's filters, the months of the rates and the time zone."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from extranet.feedback.desk_rows import (
    NO_FIGURES,
    DeskFigures,
    FeedbackRows,
    desk_figures,
    listed_where,
    months_since,
    visible_where,
)
from extranet.feedback.selectors import FEEDBACK_GENERATION
from extranet.permissions import sales_department_head_note

KEPT_TIMEOUT = 3600


@dataclass(frozen=True)
class FeedbackDesk:
    rows: FeedbackRows  # the list, its length given
    figures: DeskFigures


def _key(generation: int, visible, status, kind, overdue, months, now) -> str:
    # The rule's text and parameters hold spaces and quotes: the key has their digest.
    given = repr(
        (
            visible,
            status,
            kind,
            bool(overdue),
            months,
            months_since(now, months),
            timezone.get_current_timezone_name(),
        )
    )
    digest = hashlib.sha256(given.encode()).hexdigest()
    return f"extranet:feedback:desk:{generation}:{digest}"


def feedback_desk(*, user, status="", kind="", overdue=False, now=None, months=12) -> FeedbackDesk:
    """The desk's list (`desk_rows.FeedbackRows`) with its length, and its figures
    (`desk_rows.desk_figures`) as of `now`, kept (see the module)."""
    now = now or timezone.now()
    visible = visible_where(user)
    if visible is None:  # no item for this user
        return FeedbackDesk(FeedbackRows(user=user), NO_FIGURES)
    # The generation read before the database: a change committed meanwhile makes what is read
    # now stale at once.
    generation = FEEDBACK_GENERATION.current()
    key = _key(generation, visible, status, kind, overdue, months, now)
    found = cache.get(key)
    figures = DeskFigures(*found) if found is not None else None
    if figures is not None and figures.hold_at(now):
        if figures.heads is not None:  # read inside the figures' statement, for this user
            sales_department_head_note(user, figures.heads)
    else:
        listed = listed_where(user=user, status=status, kind=kind, overdue=overdue, now=now)
        figures = desk_figures(user=user, months=months, now=now, listed=listed)
        timeout = KEPT_TIMEOUT
        if figures.until is not None:
            timeout = max(1, min(timeout, int((figures.until - now).total_seconds()) + 1))
        kept = (
            figures.overdue_by_manager,
            figures.rates,
            figures.count,
            figures.read_at,
            figures.until,
            figures.heads,
        )
        cache.set(key, kept, timeout)
    # Built once whether the user heads the sales department is known: an account manager's
    # rule is then their own items, read through their index.
    rows = FeedbackRows(user=user, status=status, kind=kind, overdue=overdue, now=now)
    rows.total = figures.count
    return FeedbackDesk(rows, figures)
