"""A product's recent stock changes read with one written-out statement (issue 18): the ORM's
query with the actors and their directory entries, and three model instances a row, cost a
third of the stock adjustment page's CPU.

`stock_changes` mirrors ``extranet.catalogue.selectors.stock_history(product=..., limit=...)``
(the product's "stock.adjusted" audit entries, newest first, then by id, newest first) as
dictionaries of `FIELDS`, with who made each change named by `portal.audit.actor_name`'s rule:
"the system" for no one, an employee by their directory name, anyone else by their first and
last name, "an unnamed user" when that is empty."""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from extranet.catalogue.models import Product
from extranet.crm.paged_rows import datetime_column
from portal.audit import actor_named
from portal.models import AuditEntry, Employee, User

FIELDS = ("created_at", "actor_name", "data", "reason")

ROWS = """
SELECT a.created_at, a.actor_id, u.kind, u.first_name, u.last_name, e.id, e.name, a.data,
  a.reason
FROM {audit} a LEFT JOIN {user} u ON u.id = a.actor_id
LEFT JOIN {employee} e ON e.user_id = u.id
WHERE a.action = %s AND a.target_type_id = %s AND a.target_id = %s
ORDER BY a.created_at DESC, a.id DESC
LIMIT %s"""


def _actor_name(actor_id, kind, first_name, last_name, employee_id, employee_name) -> str:
    """`actor_name` of the row's actor: `User.get_full_name`'s rule on its columns."""
    if actor_id is None:
        return actor_named(None)
    if kind == User.Kind.EMPLOYEE and employee_id is not None:
        return actor_named(employee_name)
    return actor_named(f"{first_name} {last_name}".strip())


def stock_changes(*, product, limit: int = 20) -> list[dict]:
    """`stock_history(product=product, limit=limit)` as dictionaries of `FIELDS`."""
    quote = connection.ops.quote_name
    sql = ROWS.format(  # quoted names and placeholders only
        audit=quote(AuditEntry._meta.db_table),
        user=quote(User._meta.db_table),
        employee=quote(Employee._meta.db_table),
    )
    target_type = ContentType.objects.get_for_model(Product).pk
    with connection.cursor() as cursor:
        cursor.execute(sql, ["stock.adjusted", target_type, str(product.pk), limit])
        rows = cursor.fetchall()
    return [
        {
            "created_at": datetime_column(created_at),
            "actor_name": _actor_name(*actor),
            "data": json.loads(data) if isinstance(data, str) else data,
            "reason": reason,
        }
        for created_at, *actor, data, reason in rows
    ]
