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
    Page("search", "intranet", "/search/?q=张伟", "employee", p95_target_ms=SEARCH_P95_TARGET_MS),
    Page("login", "intranet", "/accounts/login/", "anonymous"),
    Page("extranet-home", "extranet", "/", "retailer"),
    Page("shop-products", "extranet", "/shop/products/", "retailer"),
]
