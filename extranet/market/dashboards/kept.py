"""The dashboards as pages show them, kept in the cache: the same for every member of the sales
staff for a period, a region and a page of a long list, in each language. An entry is kept
under the market data's generation (`ANALYSIS_GENERATION`, bumped by `extranet.market.signals`
when orders, retailers, grade changes, feedback, market reports, products or survey responses
change, and by the market services' own bulk writes) and the surveys' generation (surveys and
their audiences); a dashboard whose figures change with time alone (call-backs falling due)
says until when it holds (`Dashboard.valid_until`). The regions of the filter are kept under the
same generation.

Reading a kept dashboard is two cache round trips where building and rendering it was most of
the page's CPU (issue 18)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from extranet.market import selectors
from extranet.surveys.selectors import SURVEYS_GENERATION
from portal.generations import Generation

ANALYSIS_GENERATION = Generation("extranet:market:analysis:generation")
KEPT_TIMEOUT = 3600


def analysis_forget() -> None:
    """The market data changed: every kept dashboard and the regions are stale."""
    ANALYSIS_GENERATION.bump()


def analysis_forget_now() -> None:
    """`analysis_forget` for a change already committed (called from `on_commit`)."""
    ANALYSIS_GENERATION.bump_now()


@dataclass(frozen=True)
class KeptBoard:
    title: str
    html: SafeString


class KeptAnalysis:
    """The kept regions and dashboard of one request, read in two round trips (the
    generations, then both entries). The dashboard's key holds everything its HTML depends on:
    the query string (filters, page; the export link and the pagination repeat it), today (the
    default period), the language and the time zone."""

    def __init__(self, request, slug: str):
        analysis, surveys = Generation.current_many(ANALYSIS_GENERATION, SURVEYS_GENERATION)
        self.regions_key = f"extranet:market:analysis:regions:{analysis}"
        self.board_key = ":".join(
            [
                "extranet:market:analysis:board",
                str(analysis),
                str(surveys),
                slug,
                get_language(),
                timezone.get_current_timezone_name(),
                timezone.localdate().isoformat(),
                request.GET.urlencode(),
            ]
        )
        self.found = cache.get_many([self.regions_key, self.board_key])

    def regions(self) -> list[str]:
        regions = self.found.get(self.regions_key)
        if regions is None:
            regions = selectors.report_regions()
            cache.set(self.regions_key, regions, KEPT_TIMEOUT)
        return regions

    def board(self, request, build, context) -> KeptBoard:
        """The kept dashboard, or the one `build()` gives, rendered with `context(board)` and
        kept."""
        found = self.found.get(self.board_key)
        if found is not None:
            title, html, valid_until = found
            if valid_until is None or timezone.now() < valid_until:
                return KeptBoard(title, html)
        board = build()
        html = render_to_string(
            "extranet/market/_analysis_board.html", context(board), request=request
        )
        cache.set(self.board_key, (str(board.title), html, board.valid_until), KEPT_TIMEOUT)
        return KeptBoard(str(board.title), html)
