"""The pages the benchmark drives, and the reference they are measured against.

A feature adds its main pages here (after adding the data they show to a generator). `role` is
who the concurrent clients are signed in as: "employee" (intranet), "retailer" (extranet) or
"anonymous" (no cookies). `expect` is the status a working page answers with; anything else is
counted as an error and shown in the report.
"""

from dataclasses import dataclass

FACES = ("intranet", "extranet")
ROLES = ("anonymous", "employee", "retailer")

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

# Market information and analysis (issue 9, extranet/market/). The dashboards are for the sales
# department (the bench's employee clients hold only the base role, so they are timed in-process
# by `python -m bench.market_dashboards`); the retailers' market information list is here.
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
# the extranet home shows the open survey too. The staff results page needs a sales
# administrator, whom the bench does not sign in.
SURVEY_ID = 900_000
PAGES += [
    Page("shop-surveys", "extranet", "/shop/surveys/", "retailer"),
    Page("shop-survey", "extranet", f"/shop/surveys/{SURVEY_ID}/", "retailer"),
]
