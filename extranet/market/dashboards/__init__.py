"""The market analysis dashboards of the sales department, one module each; every dashboard
is built from `Filters` (base.py) by the function registered here under its slug."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet.market.dashboards.base import Dashboard, Filters
from extranet.market.dashboards.feedback import feedback_dashboard
from extranet.market.dashboards.prices import prices_dashboard
from extranet.market.dashboards.retailers import grades_dashboard, top_dashboard
from extranet.market.dashboards.sales import sales_dashboard
from extranet.market.dashboards.surveys import surveys_dashboard

# slug → (title of its link, the function building it), in the order of the links.
DASHBOARDS = {
    "sales": (_("Sales"), sales_dashboard),
    "grades": (pgettext_lazy("analysis", "Grades"), grades_dashboard),
    "top": (_("Top retailers"), top_dashboard),
    "feedback": (pgettext_lazy("analysis", "Feedback"), feedback_dashboard),
    "prices": (_("Shelf prices"), prices_dashboard),
    "surveys": (pgettext_lazy("analysis", "Surveys"), surveys_dashboard),
}


def dashboard_slugs() -> list[str]:
    return list(DASHBOARDS)


def dashboard_links() -> list[tuple[str, str, str]]:
    """(slug, title, path) of every dashboard, for the links between them."""
    prefix = reverse("sales:analysis_index")
    return [(slug, title, f"{prefix}{slug}/") for slug, (title, _build) in DASHBOARDS.items()]


def dashboard(slug: str, filters: Filters, *, page=None) -> Dashboard | None:
    """The dashboard of `slug`, or None. `page`: the page of a long list to show (the top
    retailers); None for everything (the Excel export)."""
    if slug not in DASHBOARDS:
        return None
    _title, build = DASHBOARDS[slug]
    if build is top_dashboard:
        return build(filters, page=page)
    return build(filters)
