"""The bodies of the ordering pages a retailer sees at every order — the cart and the order's
page — written in Python: they follow every add to the cart and every checkout (issue 18, 100
orders/s), and as nested templates with includes and a tag or filter per value their rendering
cost more than the rest of the request. The page's frame (layout, header, messages, shop
navigation) stays a template; these write what its `content` block wrote, with the same
msgids and contexts as the templates had (extranet/templates/extranet/cart.html,
order_detail.html, includes/window.html and includes/licence_warning.html), so the catalogues
translate them as before. Every value is escaped here (`portal.escaping.text`).
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from extranet import rules
from extranet.ordering.models import Order
from portal.escaping import text
from portal.figures import money_text


def _date(value) -> str:
    """`value|date:"DATE_FORMAT"` as the template wrote it."""
    return formats.date_format(value, "DATE_FORMAT")


def _moment(value) -> str:
    """`value|date:"DATETIME_FORMAT"`: an aware time is shown in the current time zone, as the
    `date` filter shows it."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def _csrf_input(token: str) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{text(token)}">'


def licence_warning_html(warning) -> str:
    """includes/licence_warning.html: the licence expires within the warning days (the
    include's own newline after it)."""
    if not warning or warning["expired"]:
        return "\n"
    days = warning["days_left"]
    message = ngettext(
        "Your tobacco retail licence expires on %(date)s (in %(days)s day): please renew it in "
        "time, or your store cannot order after that day.",
        "Your tobacco retail licence expires on %(date)s (in %(days)s days): please renew it in "
        "time, or your store cannot order after that day.",
        days,
    ) % {"date": text(_date(warning["expires_on"])), "days": text(days)}
    return f'<p class="notice licence-warning" role="status">{message}</p>\n'


def window_html(*, window, closed_message, licence_warning) -> str:
    """includes/window.html: the licence warning, then why ordering is closed or until when it
    is open."""
    html = licence_warning_html(licence_warning)
    if closed_message:
        return f'{html}<p class="notice window-closed" role="status">{text(closed_message)}</p>\n\n'
    if window.closes_at:
        message = _(
            "Order day %(order_day)s: ordering is open until %(when)s; delivery day "
            "%(delivery_day)s."
        ) % {
            "when": text(_moment(window.closes_at)),
            "order_day": text(_date(window.cycle)),
            "delivery_day": text(_date(window.delivery_on)),
        }
        return f'{html}<p class="hint window-open">{message}</p>\n'
    return html + "\n"


_CART_LINE = """
    <li class="card cart-line{over}">
      <a href="{url}" class="product-name">{label}</a>
      <p class="price">{price} · <span class="stock stock-{level}">{stock}</span></p>
      {allowance}
      {over_message}
      <div class="cart-qty">
        <label for="quantity-{pk}">{cartons}</label>
        <input id="quantity-{pk}" type="number" name="quantity-{pk}" value="{quantity}" \
min="0" inputmode="numeric">
        <label class="inline"><input type="checkbox" name="remove-{pk}" value="1"> {remove}</label>
      </div>
      <p class="amount">{amount}</p>
    </li>
    """


def cart_body(
    *,
    lines,
    total,
    credit,
    csrf_token: str,
    idempotency_key: str,
    cart_token: str,
    window,
    closed_message,
    licence_warning,
    stock_labels,
) -> SafeString:
    """What cart.html's content block wrote after the shop's navigation: the window (or why
    the store may not order), the lines with their quantity and remove fields, the total and
    the checkout form (disabled, with the reason, while ordering is closed)."""
    title = text(pgettext("order", "Cart"))
    parts = [f"\n<h1>{title}</h1>\n\n"]
    if closed_message:
        parts.append(licence_warning_html(licence_warning))
    else:
        parts.append(
            window_html(
                window=window, closed_message=closed_message, licence_warning=licence_warning
            )
        )
    parts.append("\n")
    products_url = reverse("shop:products")
    if not lines:
        empty, browse = text(_("Your cart is empty.")), text(_("Browse the catalogue"))
        parts.append(
            f'\n<div class="card empty-state"><p>{empty}</p>'
            f'<p><a href="{text(products_url)}">{browse}</a></p></div>\n\n'
        )
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
    csrf = _csrf_input(csrf_token)
    per_carton = _("%(price)s per carton")
    limit_message = _("Limit %(limit)s cartons this cycle; %(remaining)s remaining")
    over_message = '<p class="form-errors">{}</p>'.format(
        text(_("More than your remaining allowance."))
    )
    cartons, remove = text(pgettext("order", "Cartons")), text(pgettext("order", "Remove"))
    labels = {level: text(label) for level, label in stock_labels.items()}
    parts.append(f'\n<form method="post" class="cart-form">{csrf}\n  <ul class="cart-lines">\n    ')
    for line in lines:
        pk = text(line["pk"])
        over = line["over_limit"]
        allowance = ""
        if line["limit"] is not None:
            allowance = '<p class="allowance">{}</p>'.format(
                limit_message % {"limit": text(line["limit"]), "remaining": text(line["remaining"])}
            )
        parts.append(
            _CART_LINE.format(
                over=" over-limit" if over else "",
                url=text(f"{products_url}{line['pk']}/"),
                label=text(line["label"]),
                price=per_carton % {"price": text(money_text(line["price"]))},
                level=text(line["stock_level"]),
                stock=labels[line["stock_level"]],
                allowance=allowance,
                over_message=over_message if over else "",
                pk=pk,
                cartons=cartons,
                quantity=text(line["quantity"]),
                remove=remove,
                amount=text(money_text(line["amount"])),
            )
        )
    update = text(_("Update cart"))
    total_text = _("Total: %(total)s") % {"total": text(money_text(total))}
    parts.append(
        f'\n  </ul>\n  <button type="submit">{update}</button>\n</form>\n'
        '<section class="card checkout">\n'
        f'  <p class="total">{total_text}</p>\n  '
    )
    if credit is not None:
        parts.append(
            '<p class="hint">{}</p>'.format(
                _("Available credit: %(credit)s") % {"credit": text(money_text(credit))}
            )
        )
    place = text(_("Place order"))
    parts.append(
        f'\n  <form method="post" action="{text(reverse("shop:checkout"))}" '
        f'class="checkout-form">{csrf}\n'
        f'    <input type="hidden" name="idempotency_key" value="{text(idempotency_key)}" '
        f'id="id_idempotency_key"><input type="hidden" name="cart" value="{text(cart_token)}" '
        'id="id_cart">\n    '
    )
    if closed_message:
        parts.append(
            '\n    <button type="submit" class="primary" disabled '
            f'aria-describedby="checkout-refused">{place}</button>\n'
            f'    <p class="disabled-reason" id="checkout-refused">{text(closed_message)}</p>\n    '
        )
    else:
        parts.append(f'\n    <button type="submit" class="primary">{place}</button>\n    ')
    parts.append("\n  </form>\n</section>\n\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def order_body(*, order, lines, history, may_cancel: bool, csrf_token: str) -> SafeString:
    """What order_detail.html's content block wrote after the shop's navigation: the order's
    status and days, why it was cancelled, its lines and totals, its status history and the
    cancel and order-again actions."""
    number = text(order.number)
    days = _("order day %(order_day)s · delivery day %(delivery_day)s") % {
        "order_day": text(_date(order.order_date)),
        "delivery_day": text(_date(order.delivery_date)),
    }
    title = pgettext("order", "Order %(number)s") % {"number": number}
    parts = [
        '\n<article class="card order-detail">\n'
        f"  <h1>{title}</h1>\n"
        f'  <p><span class="status status-{text(order.status)}">'
        f"{text(order.get_status_display())}</span> · {days}</p>\n  "
    ]
    if order.cancel_reason:
        parts.append(
            '<p class="notice">{}</p>'.format(
                _("Cancelled: %(reason)s") % {"reason": text(order.cancel_reason)}
            )
        )
    labels = (
        pgettext("order", "Product"),
        pgettext("order", "Cartons"),
        pgettext("order", "Price"),
        pgettext("order", "Amount"),
    )
    head = "".join(f'<th scope="col">{text(label)}</th>' for label in labels)
    total_label = text(pgettext("order", "Total"))
    history_title = text(pgettext("order", "Status history"))
    rows = "".join(
        f"<tr><td>{text(line['product__brand__name'])} {text(line['product__name'])}</td>"
        f"<td>{text(line['quantity'])}</td><td>{text(money_text(line['unit_price']))}</td>"
        f"<td>{text(money_text(line['amount']))}</td></tr>"
        for line in lines
    )
    parts.append(
        '\n  <table class="lines">\n'
        f"    <thead><tr>{head}</tr></thead>\n"
        f"    <tbody>{rows}</tbody>\n"
        f'    <tfoot><tr><th scope="row">{total_label}</th>'
        f"<td>{text(order.total_cartons)}</td><td></td>"
        f"<td>{text(money_text(order.total_amount))}</td></tr></tfoot>\n"
        "  </table>\n"
        f"  <h2>{history_title}</h2>\n"
        '  <ol class="status-history">'
    )
    for change in history:
        note = f" — {text(change.note)}" if change.note else ""
        parts.append(
            f'<li><span class="status status-{text(change.status)}">'
            f"{text(change.get_status_display())}</span> {text(_moment(change.changed_at))}"
            f"{note}</li>"
        )
    parts.append('</ol>\n  <div class="actions">\n    ')
    if may_cancel:
        cancel_url = text(reverse("shop:order_cancel", args=[order.pk]))
        cancel = text(pgettext("order", "Cancel order"))
        parts.append(f'<a class="button" href="{cancel_url}">{cancel}</a>')
    reorder_url = text(reverse("shop:order_reorder", args=[order.pk]))
    again = text(_("Order again"))
    parts.append(
        f'\n    <form method="post" action="{reorder_url}">'
        f'{_csrf_input(csrf_token)}<button type="submit">{again}</button></form>\n'
        "  </div>\n</article>\n"
    )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


_CURRENT = ' aria-current="true"'


def brand_filters_html(*, brands, brand_id) -> SafeString:
    """The catalogue's brand filter items after "All brands" (catalogue.html's loop): one link
    per brand, the chosen one marked current."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li><a href="?brand={text(brand["pk"])}"'
            f"{_CURRENT if brand_id == brand['pk'] else ''}>"
            f"{text(brand['name'])}</a></li>"
            for brand in brands
        )
    )


def new_products_html(products) -> SafeString:
    """The catalogue's panel of new products (catalogue.html's section and its loop): a link
    to each, with the day it was launched when known."""
    products_url = text(reverse("shop:products"))
    title = text(_("New products"))
    items = "".join(
        f'<li><a href="{products_url}{text(product.pk)}/">{text(product.brand.name)} '
        f"{text(product.name)}</a>"
        f"{f' · {text(_date(product.launched_on))}' if product.launched_on else ''}</li>"
        for product in products
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        '<section class="card new-products" aria-labelledby="new-heading">\n'
        f'  <h2 id="new-heading">{title}</h2>\n'
        f"  <ul>{items}</ul>\n</section>"
    )


_ORDER_ROW = """
  <li class="card order-row">
    <a href="{url}" class="order-number">{number}</a>
    <span class="status status-{status}">{status_label}</span>
    <p class="hint">{placed} · {days} · {cartons} · {amount}</p>
  </li>
  """

# The columns of the retailer's orders that their list shows (`order_rows_html`'s rows).
ORDER_ROW_FIELDS = ("pk", "status", "placed_at", "cycle", "total_cartons", "total_amount")


def order_rows_html(rows) -> SafeString:
    """The items of the retailer's order list (orders.html's loop), from `ORDER_ROW_FIELDS`
    tuples in one pass: number, status, when placed, order and delivery day, cartons, amount."""
    labels = {value: text(label) for value, label in Order.Status.choices}
    days = _("order day %(order_day)s · delivery day %(delivery_day)s")
    first = reverse("shop:order", args=[1])
    prefix, suffix = first[: first.rindex("1")], first[first.rindex("1") + 1 :]
    html = []
    for pk, status, placed_at, cycle, cartons, amount in rows:
        html.append(
            _ORDER_ROW.format(
                url=text(f"{prefix}{pk}{suffix}"),
                number=text(Order.number_of(pk)),
                status=text(status),
                status_label=labels.get(status, text(status)),
                placed=text(_moment(placed_at)),
                days=days
                % {
                    "order_day": text(_date(cycle)),
                    "delivery_day": text(_date(rules.delivery_date(cycle))),
                },
                cartons=ngettext("%(cartons)s carton", "%(cartons)s cartons", cartons)
                % {"cartons": text(cartons)},
                amount=text(money_text(amount)),
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
