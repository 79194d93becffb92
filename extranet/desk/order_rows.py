"""The staff's order list read with one written-out statement (issue 18): building the ORM's
two queries (the paginator's count and the page) cost about a fifth of the page's CPU.

`OrderRows` mirrors ``extranet.ordering.selectors.orders_filtered(user=..., cycle=...,
route=..., status=...).values(*FIELDS)``: the orders the user may see
(`orders_visible_to`: all for a sales administrator, an account manager's those of the stores
assigned to them now, anyone else's none, the rule `crm.selectors.retailers_visible_where`
writes out), of one order day, delivery route and status when given, newest placed first,
then by id, newest first.

The list's length is kept in the cache under `ordering.selectors.ORDERS_GENERATION` (bumped
whenever an order is placed, moved on, saved or deleted, and when a store's route or account
manager changes), keyed by the list's rule: at the full scale (100,000 orders) counting them
cost 33 ms of the page's 35 ms in the database, where the page of rows alone is read through
an index in a fraction of a millisecond. A kept length is read again only after a change."""

import hashlib
from decimal import Decimal

from django.core.cache import cache
from django.db import connection

from extranet.catalogue.models import DeliveryRoute
from extranet.crm.models import Retailer
from extranet.crm.paged_rows import PagedRows, date_column
from extranet.crm.selectors import retailers_visible_where
from extranet.ordering.models import Order
from extranet.ordering.selectors import ORDERS_GENERATION

FIELDS = (
    "pk",
    "cycle",
    "status",
    "total_cartons",
    "total_amount",
    "retailer__store_name",
    "retailer__route__code",
)

KEPT_TIMEOUT = 3600

SOURCE = """
FROM {order} o JOIN {retailer} r ON r.id = o.retailer_id
LEFT JOIN {route} rt ON rt.id = r.route_id
WHERE {where}"""

# A page of the whole list (a sales administrator's) is read through the index
# `extranet_order_newest`, newest first, stopping after the page.
ROWS = """
SELECT o.id, o.cycle, o.status, o.total_cartons, o.total_amount, r.store_name, rt.code
{source}
ORDER BY o.placed_at DESC, o.id DESC
LIMIT %s OFFSET %s"""

# An account manager's stores are a small part of all: walking every order newest first to
# find theirs read some 4,500 orders and their stores for a page of 50 (12 ms at the full
# scale). Their stores are read first, and of each store its newest orders up to the end of
# the page (no store can give more), which are then sorted: some 1,100 orders (1.5 ms).
# PostgreSQL only (LATERAL); SQLite reads the plain statement.
STORES_ROWS = """
SELECT o.id, o.cycle, o.status, o.total_cartons, o.total_amount, r.store_name, rt.code
FROM {retailer} r
CROSS JOIN LATERAL (
  SELECT o.id, o.cycle, o.status, o.total_cartons, o.total_amount, o.placed_at
  FROM {order} o WHERE o.retailer_id = r.id AND {order_where}
  ORDER BY o.placed_at DESC, o.id DESC
  LIMIT %s
) o
LEFT JOIN {route} rt ON rt.id = r.route_id
WHERE {retailer_where}
ORDER BY o.placed_at DESC, o.id DESC
LIMIT %s OFFSET %s"""

# The length from the orders alone when no condition is on their store (each order has its
# store); per store for an account manager's (PostgreSQL would hash every order otherwise).
COUNT = "SELECT COUNT(*) FROM {order} o WHERE {order_where}"
COUNT_JOINED = """
SELECT COUNT(*) FROM {order} o JOIN {retailer} r ON r.id = o.retailer_id
WHERE {order_where} AND {retailer_where}"""
COUNT_BY_STORE = """
SELECT COALESCE(SUM((SELECT COUNT(*) FROM {order} o
  WHERE o.retailer_id = r.id AND {order_where})), 0)
FROM {retailer} r WHERE {retailer_where}"""

_CENTS = Decimal(1).scaleb(-Order._meta.get_field("total_amount").decimal_places)


def _amount(value) -> Decimal:
    """The amount column as the ORM gives it: SQLite may give a float or an integer."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(_CENTS)


def _names() -> dict:
    quote = connection.ops.quote_name
    return {
        "order": quote(Order._meta.db_table),
        "retailer": quote(Retailer._meta.db_table),
        "route": quote(DeliveryRoute._meta.db_table),
    }


class OrderRows(PagedRows):
    """The staff's order list as a Paginator's list of dictionaries of `FIELDS`, its length
    kept (see the module)."""

    fields = FIELDS
    rows_sql = ROWS
    counted = False

    def __init__(self, *, user, cycle=None, route=None, status=""):
        visible = retailers_visible_where(user)
        if visible is None:
            super().__init__(None)
            return
        ops = connection.ops
        # The conditions on the orders and those on their stores, apart.
        self.order_where, self.order_params = ["1 = 1"], []
        self.retailer_where, self.retailer_params = ["1 = 1", *visible[0]], list(visible[1])
        if cycle:
            self.order_where.append("o.cycle = %s")
            self.order_params.append(ops.adapt_datefield_value(cycle))
        if status:
            self.order_where.append("o.status = %s")
            self.order_params.append(status)
        if route:
            self.retailer_where.append("r.route_id = %s")
            self.retailer_params.append(route)
        # Only an account manager's rule is a condition on the stores (visible[0]).
        self.by_store = bool(visible[0])
        source = SOURCE.format(  # quoted names and placeholders only
            **_names(),
            where=" AND ".join([*self.order_where, *self.retailer_where]),
        )
        super().__init__(source, [*self.order_params, *self.retailer_params])

    def statement_for(self, start: int, stop: int) -> tuple[str, list]:
        if not (self.by_store and connection.vendor == "postgresql"):
            return super().statement_for(start, stop)
        sql = STORES_ROWS.format(  # quoted names and placeholders only
            **_names(),
            order_where=" AND ".join(self.order_where),
            retailer_where=" AND ".join(self.retailer_where),
        )
        return sql, [*self.order_params, stop, *self.retailer_params, stop - start, start]

    def count(self) -> int:
        """The list's length, kept under `ORDERS_GENERATION`."""
        if self.source is None:
            return 0
        if self.total is None:
            # The generation read before the database: a change committed meanwhile makes
            # what is counted now stale at once.
            generation = ORDERS_GENERATION.current()
            # The rule's text and parameters hold spaces and quotes: the key has their digest.
            digest = hashlib.sha256(repr((self.source, self.params)).encode()).hexdigest()
            key = f"extranet:desk:orders:count:{generation}:{digest}"
            total = cache.get(key)
            if total is None:
                total = self._counted()
                cache.set(key, total, KEPT_TIMEOUT)
            self.total = total
        return self.total

    def _counted(self) -> int:
        order_where = " AND ".join(self.order_where)
        retailer_where = " AND ".join(self.retailer_where)
        if self.by_store:
            template = COUNT_BY_STORE
        elif len(self.retailer_where) > 1:
            template = COUNT_JOINED
        else:
            template = COUNT
        sql = template.format(  # quoted names and placeholders only
            **_names(), order_where=order_where, retailer_where=retailer_where
        )
        params = [*self.order_params]
        if template is not COUNT:
            params += self.retailer_params
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0])  # PostgreSQL's SUM of counts is a numeric

    def converted(self, row: tuple) -> tuple:
        return (row[0], date_column(row[1]), row[2], row[3], _amount(row[4]), *row[5:])
