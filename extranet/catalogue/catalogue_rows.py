"""The retailer's catalogue page read with one written-out statement (issue 18): the ORM built
three queries for it (the paginator's count, the page of products with brand and stock as model
instances, the allowances of its scarce products), and building them cost more CPU than
anything else the page does but its layout.

`CatalogueRows` mirrors ``selectors.catalogue(query=..., brand_id=...)`` (products not
discontinued, matching the search by name, brand name, code or barcode, of one brand when
given, by brand name, name and id) with, for each scarce product, ``selectors.allowances
(retailer=..., product_ids=...)``'s (limit, remaining) in the current cycle of the retailer's
order window: the retailer's own override, else its grade's allocation, else 0. The search
conditions are the ORM's own lookups on each database (`connection.operators`, `lookup_cast`,
the same escaping of the pattern), so the same products match on SQLite and PostgreSQL. The
page's count comes with its rows (``COUNT(*) OVER ()``); a page past the end asks again.
"""

from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from extranet import rules
from extranet.catalogue.models import (
    Allocation,
    AllocationUsage,
    Brand,
    Product,
    RetailerAllocation,
    Stock,
)

ROWS = """
SELECT p.id, b.name, p.name, p.status, p.wholesale_price, p.retail_price, s.available,
  p.is_scarce, COALESCE(own.cartons, by_grade.cartons, 0), COALESCE(used.cartons, 0),
  COUNT(*) OVER ()
FROM {product} p
INNER JOIN {brand} b ON b.id = p.brand_id
LEFT JOIN {stock} s ON s.product_id = p.id
LEFT JOIN {own} own ON own.product_id = p.id AND own.retailer_id = %s
LEFT JOIN {by_grade} by_grade ON by_grade.product_id = p.id AND by_grade.grade = %s
LEFT JOIN {used} used ON used.product_id = p.id AND used.retailer_id = %s AND used.cycle = %s
WHERE {where}
ORDER BY b.name ASC, p.name ASC, p.id ASC
LIMIT %s OFFSET %s"""

COUNT = """
SELECT COUNT(*) FROM {product} p INNER JOIN {brand} b ON b.id = p.brand_id WHERE {where}"""

_CENT = Decimal("0.01")


def _money(value) -> Decimal:
    """A price as the ORM reads it: SQLite gives a number, PostgreSQL a Decimal."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(_CENT)


def _where(*, query: str, brand_id) -> tuple[str, list]:
    """`selectors.catalogue`'s conditions, with the lookups the ORM writes on this database."""
    ops, operators = connection.ops, connection.operators
    conditions, params = ["NOT (p.status = %s)"], [Product.Status.DISCONTINUED.value]
    query = (query or "").strip()
    if query:
        contains = ops.lookup_cast("icontains", "CharField")
        iexact = ops.lookup_cast("iexact", "CharField")
        conditions.append(
            f"({contains % 'p.name'} {operators['icontains'] % '%s'}"
            f" OR {contains % 'b.name'} {operators['icontains'] % '%s'}"
            f" OR {iexact % 'p.code'} {operators['iexact'] % '%s'}"
            " OR p.barcode = %s)"
        )
        pattern = f"%{ops.prep_for_like_query(query)}%"
        params += [pattern, pattern, ops.prep_for_iexact_query(query), query]
    if brand_id:
        conditions.append("p.brand_id = %s")
        params.append(brand_id)
    return " AND ".join(conditions), params


class CatalogueRows:
    """The catalogue as a Paginator's list for one retailer: `count()` reads the page
    `number` (the one the paginator will most likely ask for) with the count; slicing gives
    that page's rows without asking again, any other slice with a statement of its own.

    Each row is a dictionary: pk, brand, name, status, wholesale_price, retail_price,
    available (None without a stock row), allowance ((limit, remaining) for a scarce product,
    else None)."""

    def __init__(
        self,
        *,
        retailer,
        query: str = "",
        brand_id=None,
        number=1,
        per_page: int,
        now: datetime | None = None,
    ):
        self.retailer = retailer
        self.where, self.params = _where(query=query, brand_id=brand_id)
        self.cycle = rules.order_window(retailer.order_day, now or timezone.now()).cycle
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        self.per_page = per_page
        self.first = ((number - 1) * per_page, number * per_page)
        self.read = None
        self.total = None

    def _names(self) -> dict:
        quote = connection.ops.quote_name
        return {
            "product": quote(Product._meta.db_table),
            "brand": quote(Brand._meta.db_table),
            "stock": quote(Stock._meta.db_table),
            "own": quote(RetailerAllocation._meta.db_table),
            "by_grade": quote(Allocation._meta.db_table),
            "used": quote(AllocationUsage._meta.db_table),
            "where": self.where,
        }

    def _rows(self, start: int, stop: int) -> tuple[list[dict], int | None]:
        retailer = self.retailer
        with connection.cursor() as cursor:
            cursor.execute(
                ROWS.format(**self._names()),  # quoted names and placeholders only
                [
                    retailer.pk,
                    retailer.grade,
                    retailer.pk,
                    connection.ops.adapt_datefield_value(self.cycle),
                    *self.params,
                    stop - start,
                    start,
                ],
            )
            found = cursor.fetchall()
        rows = [
            {
                "pk": pk,
                "brand": brand,
                "name": name,
                "status": status,
                "wholesale_price": _money(wholesale),
                "retail_price": _money(retail),
                "available": available,
                "allowance": (limit, max(limit - used, 0)) if scarce else None,
            }
            for pk, brand, name, status, wholesale, retail, available, scarce, limit, used, _ in (
                found
            )
        ]
        return rows, (found[0][-1] if found else None)

    def count(self) -> int:
        if self.total is None:
            self.read, self.total = self._rows(*self.first)
            if self.total is None:
                with connection.cursor() as cursor:
                    cursor.execute(COUNT.format(**self._names()), self.params)  # as above
                    self.total = cursor.fetchone()[0]
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        start, stop = index.start or 0, index.stop
        if self.read is not None and start == self.first[0] and stop <= self.first[1]:
            return self.read[: stop - start]
        if stop <= start:
            return []
        return self._rows(start, stop)[0]
