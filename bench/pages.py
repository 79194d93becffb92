"""The pages the benchmark drives, and the reference they are measured against.

A feature adds its main pages here (after adding the data they show to a generator). `role` is
who the concurrent clients are signed in as: "employee" (intranet, base role only), "retailer"
(extranet), a staff role of `STAFF_ROLES` (intranet; bench.sessions.STAFF_GROUPS) or
"anonymous" (no cookies). `expect` is the status a working page answers with; anything else is
counted as an error and shown in the report. A page on an object the generators create without
a fixed id names it in its path as `{name}` of `PATH_OBJECTS`; `with_ids` fills the id in.
"""

import re
from dataclasses import dataclass, replace

FACES = ("intranet", "extranet")
STAFF_ROLES = ("sales-administrator", "account-manager")
ROLES = ("anonymous", "employee", "retailer", *STAFF_ROLES)

# DESIGN.md, "Targets": every main page serves at least this share of the reference's
# requests per second, and answers at p95 under 150 ms at the full scale (search under 100 ms).
RATIO_TARGET = 0.10
P95_TARGET_MS = 150.0
SEARCH_P95_TARGET_MS = 100.0

# The forum's 5,000-reply topic is created with this id by bench/generators/forum.py.
FORUM_LONG_TOPIC_ID = 900_000
# The bulletins' discussion topic (300 suggestions) has this id (bench/generators/bulletins.py).
BULLETINS_DISCUSSION_ID = 900_000


@dataclass(frozen=True)
class Page:
    name: str
    face: str
    path: str
    role: str
    expect: int = 200
    p95_target_ms: float | None = P95_TARGET_MS
    ratio_target: float | None = RATIO_TARGET

    def __post_init__(self):
        if self.face not in FACES or self.role not in ROLES:
            raise ValueError(f"Bad face or role in bench page {self.name!r}.")
        if self.role in STAFF_ROLES and self.face != "intranet":
            raise ValueError(f"Staff role on the extranet in bench page {self.name!r}.")


# A trivial Django view (a few bytes; no database, no session, no template) behind the same
# middleware, served by the same gunicorn: the ceiling every page is compared with.
REFERENCE = Page(
    "reference", "intranet", "/healthz", "anonymous", p95_target_ms=None, ratio_target=None
)

PAGES = [
    Page("intranet-home", "intranet", "/", "employee"),
    Page("bulletins", "intranet", "/bulletins/", "employee"),
    Page("bulletins-board", "intranet", "/bulletins/board-director-office/", "employee"),
    Page("bulletins-news", "intranet", "/bulletins/news/?page=2", "employee"),
    Page("bulletins-feeds", "intranet", "/bulletins/feeds/", "employee"),
    Page(
        "bulletins-notice",
        "intranet",
        "/bulletins/board-director-office/safety-month/",
        "employee",
    ),
    Page("search", "intranet", "/search/?q=张伟", "employee", p95_target_ms=SEARCH_P95_TARGET_MS),
    Page("login", "intranet", "/accounts/login/", "anonymous"),
    Page("extranet-home", "extranet", "/", "retailer"),
    Page("shop-products", "extranet", "/shop/products/", "retailer"),
    # Directory and mass notices (issue 3).
    Page("directory", "intranet", "/directory/", "employee"),
    Page(
        "directory-search",
        "intranet",
        "/directory/?q=zw",
        "employee",
        p95_target_ms=SEARCH_P95_TARGET_MS,
    ),
    Page(
        "directory-as-you-type",
        "intranet",
        "/directory/results/?q=zhang",
        "employee",
        p95_target_ms=SEARCH_P95_TARGET_MS,
    ),
    Page("directory-department", "intranet", "/directory/departments/production/", "employee"),
    Page("notices-inbox", "intranet", "/notices/", "employee"),
    # Forum (issue 5): the board list, the last page of the 5,000-reply topic.
    Page("forum-boards", "intranet", "/forum/", "employee"),
    Page("forum-board", "intranet", "/forum/b/bench-general/", "employee"),
    Page(
        "forum-long-topic-last-page",
        "intranet",
        f"/forum/t/{FORUM_LONG_TOPIC_ID}/?page=last",
        "employee",
    ),
    # Extranet ordering (bench.generators.retailers, bench.generators.orders)
    Page("shop-products-search", "extranet", "/shop/products/?q=利群", "retailer"),
    Page("shop-orders", "extranet", "/shop/orders/", "retailer"),
    Page("shop-cart", "extranet", "/shop/cart/", "retailer"),
    Page("shop-feedback", "extranet", "/shop/feedback/", "retailer"),
    Page("sales-products", "intranet", "/sales/products/", "employee"),
    # Knowledge base (issue 6): browse, an article, search on both faces.
    Page("knowledge", "intranet", "/knowledge/", "employee"),
    Page("knowledge-filtered", "intranet", "/knowledge/?type=storage&sort=views", "employee"),
    Page("knowledge-article", "intranet", "/articles/bench-0/", "employee"),
    Page(
        "knowledge-search",
        "intranet",
        "/knowledge/search/?q=烟叶含水率",
        "employee",
        p95_target_ms=SEARCH_P95_TARGET_MS,
    ),
    Page("shop-knowledge", "extranet", "/shop/knowledge/", "retailer"),
    Page("shop-knowledge-article", "extranet", "/articles/bench-9/", "retailer"),
    Page(
        "shop-knowledge-search",
        "extranet",
        "/shop/knowledge/search/?q=陈列",
        "retailer",
        p95_target_ms=SEARCH_P95_TARGET_MS,
    ),
]

# Policy documents and report circulation (issue 7).
PAGES += [
    Page("documents-register", "intranet", "/documents/", "employee"),
    Page(
        "documents-register-filtered",
        "intranet",
        "/documents/?year=2020&status=in_force",
        "employee",
    ),
    Page("documents-inbox", "intranet", "/documents/reports/?box=inbox", "employee"),
    Page(
        "bulletins-discussion",
        "intranet",
        f"/bulletins/discussions/{BULLETINS_DISCUSSION_ID}/?page=last",
        "employee",
    ),
]

# Market information and analysis (issue 9, extranet/market/): the retailers' market information
# list; the dashboards are with the sales staff's pages below.
PAGES += [
    Page("shop-market", "extranet", "/shop/market/", "retailer"),
]

# Issue 7, continued: a document's page (bench/generators/documents.py OPEN_DOCUMENT_ID) and
# the report notifications.
DOCUMENTS_PAGE_ID = 900_000
PAGES += [
    Page("documents-detail", "intranet", f"/documents/{DOCUMENTS_PAGE_ID}/", "employee"),
    Page("documents-notifications", "intranet", "/documents/reports/notifications/", "employee"),
]

# Surveys (issue 9): the retailers' list and the open survey's form (bench/generators/surveys.py);
# the extranet home shows the open survey too. Its staff results page is with the sales staff's
# pages below.
SURVEY_ID = 900_000
PAGES += [
    Page("shop-surveys", "extranet", "/shop/surveys/", "retailer"),
    Page("shop-survey", "extranet", f"/shop/surveys/{SURVEY_ID}/", "retailer"),
]

# Objects without a fixed id, by a natural key the generators give them: `{name}` in a path is
# the id of PATH_OBJECTS[name] = (model label, field, value).
PATH_OBJECTS = {
    # A product of bench.generators.retailers that the ordering bench does not race for.
    "stock_product": ("extranet.Product", "code", "B0103"),
    # The first retailer with bench logins (bench.generators.people: LICENCE_PREFIX + 000001).
    "logins_retailer": ("extranet.Retailer", "licence_number", "330103000001"),
    # The must-acknowledge notice of bench.generators.bulletins (REPORT_NOTICE_SLUG).
    "report_notice": ("bulletins.Notice", "slug", "bench-acknowledge"),
}
_PATH_FIELD = re.compile(r"\{(\w+)\}")


def with_ids(pages: list[Page]) -> list[Page]:
    """The pages with every `{name}` of their paths replaced by the object's id; call it once
    the data is generated (it queries the database)."""
    from django.apps import apps

    ids = {}
    for name in {name for page in pages for name in _PATH_FIELD.findall(page.path)}:
        label, field, value = PATH_OBJECTS[name]
        pk = apps.get_model(label).objects.filter(**{field: value}).values_list("pk", flat=True)
        if not pk:
            raise RuntimeError(f"No {label} with {field} {value!r} for bench paths' {{{name}}}.")
        ids[name] = pk[0]
    return [
        replace(page, path=_PATH_FIELD.sub(lambda match: str(ids[match[1]]), page.path))
        for page in pages
    ]


# The sales staff's pages (the extranet CRM and issue 9), on the demo data's sales administrator
# (E00008, also the sales department's head: the analysis and every list see all retailers) and
# account manager (E00007, whose lists are filtered to the retailers assigned to them: every
# bench retailer). The analysis dashboards' target is issue 9's: under 500 ms each.
ANALYSIS_DASHBOARDS = ("sales", "grades", "top", "feedback", "prices", "surveys")
ANALYSIS_P95_TARGET_MS = 500.0
PAGES += [
    *(
        Page(
            f"sales-analysis-{slug}",
            "intranet",
            f"/sales/analysis/{slug}/",
            "sales-administrator",
            p95_target_ms=ANALYSIS_P95_TARGET_MS,
        )
        for slug in ANALYSIS_DASHBOARDS
    ),
    Page(
        "sales-survey-results",
        "intranet",
        f"/sales/surveys/{SURVEY_ID}/results/",
        "sales-administrator",
    ),
    Page(
        "sales-stock", "intranet", "/sales/products/{stock_product}/stock/", "sales-administrator"
    ),
    Page(
        "sales-retailer-logins",
        "intranet",
        "/sales/retailers/{logins_retailer}/logins/",
        "sales-administrator",
    ),
    Page("sales-orders", "intranet", "/sales/orders/", "sales-administrator"),
    # The publisher's acknowledgement report: E00008 heads the sales department and publishes
    # on its board.
    Page(
        "bulletins-report",
        "intranet",
        "/bulletins/notices/{report_notice}/report/",
        "sales-administrator",
    ),
    Page(
        "sales-feedback-overdue", "intranet", "/sales/feedback/?overdue=on", "sales-administrator"
    ),
    Page("sales-orders-manager", "intranet", "/sales/orders/", "account-manager"),
    Page(
        "sales-feedback-overdue-manager",
        "intranet",
        "/sales/feedback/?overdue=on",
        "account-manager",
    ),
]

# The account managers' visits and contacts (issue 16; bench.generators.visits): the manager's
# week (their work list), the stores not visited this cycle and the log; the log over all
# stores for the sales administrator.
PAGES += [
    Page("sales-visits-week", "intranet", "/sales/visits/", "account-manager"),
    Page("sales-visits-not-visited", "intranet", "/sales/visits/not-visited/", "account-manager"),
    Page("sales-visits-log", "intranet", "/sales/visits/log/", "account-manager"),
    Page("sales-visits-log-all", "intranet", "/sales/visits/log/", "sales-administrator"),
]
