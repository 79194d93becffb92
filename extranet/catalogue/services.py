"""Writes of the catalogue: stock adjustments (the catalogue itself is kept in Wagtail admin)."""

from django.db import transaction
from django.utils.translation import gettext as _

from extranet.catalogue.models import Product, Stock
from portal.refusals import Refusal
from portal.services import audit_record


def stock_adjust(
    *,
    product: Product,
    reason: str,
    actor,
    delta: int | None = None,
    counted: int | None = None,
    seen: int | None = None,
) -> Stock:
    """Change a product's available cartons: by `delta` (goods received: +, damaged or
    returned to the factory: −) or to a `counted` value from a stock count. It takes the
    stock row's lock, the same lock `order_place` takes last, so an order and an adjustment
    never overwrite each other. A counted value is refused when the stock moved since the
    person saw it (`seen`), so an order placed meanwhile is not silently undone. Stock never
    goes below zero. Audited with the old and new value."""
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_("Give a reason for the change."))
    if (delta is None) == (counted is None):
        raise Refusal(_("Give either a change or a counted quantity."))
    if delta == 0:
        raise Refusal(_("A change of zero cartons changes nothing."))
    limit = 10**9
    if (delta is not None and abs(delta) >= limit) or (
        counted is not None and not 0 <= counted < limit
    ):
        raise Refusal(_("The quantity is out of range."))
    with transaction.atomic():
        Stock.objects.bulk_create([Stock(product=product, available=0)], ignore_conflicts=True)
        stock = Stock.objects.select_for_update().get(product=product)
        old = stock.available
        if counted is not None:
            if seen is not None and seen != old:
                raise Refusal(
                    _(
                        "The stock changed from %(seen)s to %(now)s cartons while you were "
                        "editing (orders or another change); check the count and try again."
                    )
                    % {"seen": seen, "now": old}
                )
            new = counted
        else:
            new = old + delta
        if new < 0:
            raise Refusal(
                _(
                    "Stock cannot go below zero: %(available)s cartons are available, so at "
                    "most %(available)s can be taken off."
                )
                % {"available": old}
            )
        stock.available = new
        stock.save(update_fields=["available", "updated_at"])
        audit_record(
            actor=actor,
            action="stock.adjusted",
            target=product,
            reason=reason,
            data={"old": old, "new": new, "delta": new - old},
        )
    return stock
