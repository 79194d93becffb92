"""The retailer's catalogue, cart, checkout, orders and profile."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from extranet import rules
from extranet.catalogue import selectors as catalogue_selectors
from extranet.catalogue.catalogue_rows import CatalogueRows
from extranet.catalogue.forms import CatalogueSearchForm
from extranet.catalogue.models import Product
from extranet.crm.selectors import account_manager_contact
from extranet.ordering import selectors
from extranet.ordering.forms import (
    AddToCartForm,
    CancelForm,
    add_to_cart_read,
    checkout_read,
)
from extranet.ordering.models import Order
from extranet.ordering.services import (
    CartIdentity,
    OrderRefused,
    allowance_refused_message,
    buying_refused_message,
    closed_message,
    credit_available,
    new_idempotency_key,
    order_cancel,
    order_of_cart,
    order_place,
    reorder_plan,
)
from extranet.permissions import may_cancel_as_retailer
from extranet.shop import page_html
from extranet.shop.cart import cart_change, cart_identity, cart_lines, cart_renew
from extranet.shop.views import PAGE_SIZE, retailer_page
from extranet.shop.warnings import licence_warning
from portal.csrf_token import page_csrf_token
from portal.escaping import text
from portal.figures import money_writer
from portal.permissions import get_visible_or_404


def _cart(request) -> dict:
    return dict(cart_lines(request.session))


def _save_cart(request, cart):
    cart_change(request.session, cart)


def _window_context(retailer):
    """The order window and whether the store may buy at all: `closed_message` says why the
    checkout is disabled (the store may not buy, or its window is closed), `licence_warning`
    when its licence expires within the warning days."""
    now = timezone.now()
    window = rules.order_window(retailer.order_day, now)
    today = timezone.localdate(now)
    refusal = rules.buying_refusal(retailer.business_status, retailer.licence_expires_on, today)
    if refusal is not None:
        message = buying_refused_message(refusal)
    else:
        message = None if window.is_open else closed_message(window)
    return {
        "window": window,
        "closed_message": message,
        "buying_refused": refusal is not None,
        "licence_warning": licence_warning(retailer, today),
    }


@retailer_page
def catalogue(request, retailer):
    form = CatalogueSearchForm(request.GET or None)
    query, brand_id = "", None
    if form.is_valid():
        query, brand_id = form.cleaned_data["q"], form.cleaned_data["brand"]
    # The page's products, their stock and the retailer's allowances in one statement
    # (`catalogue_rows` mirrors `catalogue_selectors.catalogue` and `allowances`).
    products = CatalogueRows(
        retailer=retailer,
        query=query,
        brand_id=brand_id,
        number=request.GET.get("page") or 1,
        per_page=PAGE_SIZE,
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    shared = catalogue_selectors.catalogue_shared()
    new_products = shared["new_products"] if not query and not brand_id else []
    window = _window_context(retailer)
    return render(
        request,
        "extranet/catalogue.html",
        {
            "active_module": "products",
            "form": form,
            "query": query,
            "brand_id": brand_id,
            "brands": shared["brands"],
            "page": page,
            "rows": _catalogue_rows(request, items) if items else "",
            "new_products": new_products,
            "new_products_html": page_html.new_products_html(new_products) if new_products else "",
            "stock_labels": rules.STOCK_LABELS,
            **window,
            # The window's notice and the brand filters are written in Python (page_html).
            "window_html": mark_safe(  # noqa: S308 - page_html escapes every value
                page_html.window_html(
                    window=window["window"],
                    closed_message=window["closed_message"],
                    licence_warning=window["licence_warning"],
                )
            ),
            "brand_filters": page_html.brand_filters_html(
                brands=shared["brands"], brand_id=brand_id
            ),
        },
    )


# One product of the catalogue, as the template wrote it; the rows are made here because a page
# of them is most of the catalogue's rendering (every value is escaped, `portal.escaping.text`).
_PRODUCT_ROW = """
  <li class="card product-card">
    <div class="product-head">
      <a class="product-name" href="{url}">{name}</a>
      {badge}
      <span class="stock stock-{level}">{label}</span>
    </div>
    <p class="price">{price} · <span class="hint">{retail}</span></p>
    {allowance}
    {action}
  </li>
  """
_ADD_FORM = """
    <form class="add-to-cart" method="post" action="{add_url}">
      <input type="hidden" name="csrfmiddlewaretoken" value="{token}">
      <input type="hidden" name="product" value="{pk}">
      <label for="qty-{pk}">{cartons}</label>
      <input id="qty-{pk}" type="number" name="quantity" min="1" value="1" inputmode="numeric">
      <button type="submit" class="primary">{add}</button>
    </form>
    """


def _catalogue_rows(request, products) -> SafeString:
    """The catalogue's product list items from `CatalogueRows`' rows: the messages looked up
    once per page, not per row; every value escaped here."""
    products_url, add_url = reverse("shop:products"), text(reverse("shop:cart_add"))
    token = text(page_csrf_token(request))
    per_carton = _("%(price)s per carton")
    suggested = _("suggested retail %(price)s")
    allocated = _("Allocated: %(remaining)s of %(limit)s cartons left this cycle")
    badge = '<span class="badge badge-new">{}</span>'.format(
        text(pgettext("product status", "New"))
    )
    cartons, add = text(pgettext("catalogue", "Cartons")), text(_("Add to cart"))
    labels = {level: text(label) for level, label in rules.STOCK_LABELS.items()}
    money = money_writer()
    new = Product.Status.NEW.value
    rows = []
    for product in products:
        pk = product["pk"]
        level = rules.stock_level(product["available"])
        allowance = product["allowance"]
        refused = allowance_refused_message(allowance)
        if refused:
            action = f'<p class="add-refused">{text(refused)}</p>\n    '
        elif level != rules.STOCK_OUT:
            action = _ADD_FORM.format(add_url=add_url, token=token, pk=pk, cartons=cartons, add=add)
        else:
            action = ""
        rows.append(
            _PRODUCT_ROW.format(
                url=text(f"{products_url}{pk}/"),
                name=text(f"{product['brand']} {product['name']}"),
                badge=badge if product["status"] == new else "",
                level=text(level),
                label=labels[level],
                price=text(per_carton % {"price": money(product["wholesale_price"])}),
                retail=text(suggested % {"price": money(product["retail_price"])}),
                allowance=""
                if allowance is None
                else '<p class="allowance">'
                f"{text(allocated % {'limit': allowance[0], 'remaining': allowance[1]})}</p>",
                action=action,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


@retailer_page
def product_detail(request, retailer, product_id):
    product = get_visible_or_404(catalogue_selectors.product_details(), pk=product_id)
    allowance = catalogue_selectors.allowances(retailer=retailer, product_ids=[product.pk]).get(
        product.pk
    )
    return render(
        request,
        "extranet/product_detail.html",
        {
            "active_module": "products",
            "product": product,
            "policies": catalogue_selectors.current_policies(product),
            "stock_level": catalogue_selectors.stock_level_of(product),
            "stock_labels": rules.STOCK_LABELS,
            "allowance": allowance,
            "add_refused": allowance_refused_message(allowance),
            "form": AddToCartForm(initial={"product": product.pk}),
            **_window_context(retailer),
        },
    )


@require_POST
@retailer_page
def cart_add(request, retailer):
    cleaned, errors = add_to_cart_read(request.POST)
    if cleaned is None:
        for error in errors:
            messages.error(request, error)
        return redirect("shop:products")
    product_id, quantity = cleaned["product"], cleaned["quantity"]
    found = selectors.product_to_add(retailer=retailer, product_id=product_id)
    if found is None:
        messages.error(request, _("This product cannot be ordered (unknown or discontinued)."))
        return redirect("shop:products")
    product, allowance = found  # only scarce products have an allowance
    refused = allowance_refused_message(allowance)
    if refused is not None:
        messages.error(request, f"{product.label}: {refused}")
        return redirect("shop:product", product_id=product_id)
    cart = _cart(request)
    cart[str(product_id)] = quantity
    _save_cart(request, cart)
    messages.success(
        request,
        _("%(product)s: %(quantity)s cartons in your cart.")
        % {"product": product.label, "quantity": quantity},
    )
    return redirect("shop:cart")


@retailer_page
def cart(request, retailer):
    cart = _cart(request)
    if request.method == "POST":
        changed = {}
        maximum = rules.max_line_cartons()
        for pk, quantity in cart.items():
            if request.POST.get(f"remove-{pk}"):
                continue
            raw = (request.POST.get(f"quantity-{pk}") or str(quantity)).strip()
            if not raw.isdigit() or not 0 <= int(raw) <= maximum:
                messages.error(
                    request,
                    _("Quantities are whole numbers of cartons from 1 to %(maximum)s.")
                    % {"maximum": maximum},
                )
                return redirect("shop:cart")
            if int(raw) > 0:
                changed[pk] = int(raw)
        _save_cart(request, changed)
        messages.success(request, _("Your cart is updated."))
        return redirect("shop:cart")
    lines = selectors.cart_lines(retailer=retailer, cart=cart)
    credit = None
    if retailer.settlement == retailer.Settlement.CREDIT:
        credit = credit_available(retailer=retailer)
    window = _window_context(retailer)
    # The checkout form's values: it is written with the page (page_html), not a form object.
    checkout_values = {
        "idempotency_key": new_idempotency_key(),
        "cart": cart_identity(request.session).token,
    }
    body = page_html.cart_body(
        lines=lines,
        total=sum((line["amount"] for line in lines), start=0),
        credit=credit,
        csrf_token=page_csrf_token(request),
        idempotency_key=checkout_values["idempotency_key"],
        cart_token=checkout_values["cart"],
        window=window["window"],
        closed_message=window["closed_message"],
        licence_warning=window["licence_warning"],
        stock_labels=rules.STOCK_LABELS,
    )
    return render(
        request,
        "extranet/cart.html",
        {"active_module": "orders", "body": body, "lines": lines, "checkout": checkout_values},
    )


@require_POST
@retailer_page
def checkout(request, retailer):
    """Turn the cart into an order. The form carries the identity of the cart it was shown with:
    a form of an older version, or of a cart ordered already, never places or discards the
    current cart; every submit of one cart version meets one idempotency key."""
    submitted = checkout_read(request.POST)
    if submitted is None:
        messages.error(request, _("The order form has expired; please submit it again."))
        return redirect("shop:cart")
    session = request.session
    cart = _cart(request)
    current = cart_identity(session)
    shown = CartIdentity.parse(submitted["cart"])
    if shown is None:
        messages.error(request, _("The order form has expired; please submit it again."))
        return redirect("shop:cart")
    if shown != current:
        # A form shown with another cart (another tab, the Back button, a reload).
        ordered = order_of_cart(retailer=retailer, cart=shown)
        if ordered is not None and not cart:
            messages.info(request, _("This cart was ordered already; here is the order."))
            return redirect("shop:order", order_id=ordered.pk)
        if ordered is not None:
            messages.info(
                request,
                _("Order %(number)s was placed from that cart already.")
                % {"number": ordered.number},
            )
        messages.warning(
            request,
            _("Your cart has changed since that page was shown; please review it and order again."),
        )
        return redirect("shop:cart")
    if not cart:
        messages.error(request, _("Your cart is empty."))
        return redirect("shop:cart")
    try:
        order = order_place(
            retailer=retailer,
            lines=list(cart.items()),
            idempotency_key=submitted["idempotency_key"],
            cart=current,
            placed_by=request.user,
            reorder_of=_reorder_source(request, retailer),
        )
    except OrderRefused as refused:
        if refused.reason == OrderRefused.CART:
            # Another version of this cart became an order: what is in it now is kept, as a new
            # cart to review and submit on purpose.
            cart_renew(session, cart)
        messages.error(request, refused.message)
        return redirect("shop:cart")
    cart_renew(session, {})
    session.pop("extranet_reorder_of", None)
    if getattr(order, "was_placed_before", False):
        messages.info(request, _("This cart was ordered already; here is the order."))
    else:
        messages.success(request, _("Order %(number)s is placed.") % {"number": order.number})
    return redirect("shop:order", order_id=order.pk)


def _reorder_source(request, retailer):
    source = request.session.get("extranet_reorder_of")
    if not source:
        return None
    return selectors.orders_of_retailer(retailer=retailer).filter(pk=source).first()


@retailer_page
def orders(request, retailer):
    orders = selectors.orders_of_retailer(retailer=retailer).values_list(
        *page_html.ORDER_ROW_FIELDS
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return render(
        request,
        "extranet/orders.html",
        {"active_module": "orders", "page": page, "rows": page_html.order_rows_html(rows)},
    )


@retailer_page
def order_detail(request, retailer, order_id):
    page = selectors.order_page(retailer_id=retailer.pk, order_id=order_id)
    if page is None:
        raise Http404
    order = page["order"]
    body = page_html.order_body(
        order=order,
        lines=page["lines"],
        history=page["history"],
        may_cancel=may_cancel_as_retailer(order),
        csrf_token=page_csrf_token(request),
    )
    return render(
        request,
        "extranet/order_detail.html",
        {"active_module": "orders", "order": order, "body": body},
    )


@retailer_page
def order_cancel_view(request, retailer, order_id):
    order = get_visible_or_404(selectors.order_details_of_retailer(retailer=retailer), pk=order_id)
    if request.method == "POST":
        try:
            order_cancel(order=order, actor=request.user, by_retailer=True)
        except OrderRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Order %(number)s is cancelled.") % {"number": order})
        return redirect("shop:order", order_id=order.pk)
    return render(
        request,
        "extranet/order_cancel.html",
        {
            "active_module": "orders",
            "order": order,
            "may_cancel": may_cancel_as_retailer(order),
            "form": CancelForm(),
        },
    )


@require_POST
@retailer_page
def order_reorder(request, retailer, order_id):
    order = get_visible_or_404(selectors.order_details_of_retailer(retailer=retailer), pk=order_id)
    plan = reorder_plan(order=order, retailer=retailer)
    _save_cart(request, {str(pk): quantity for pk, quantity in plan.lines})
    request.session["extranet_reorder_of"] = order.pk
    for note in plan.notes:
        messages.warning(request, note)
    if plan.lines:
        messages.success(
            request,
            _("The lines of order %(number)s are in your cart; check them and submit.")
            % {"number": order.number},
        )
    else:
        messages.error(request, _("Nothing of this order can be ordered today."))
    return redirect("shop:cart")


@retailer_page
def profile(request, retailer):
    return render(
        request,
        "extranet/profile.html",
        {
            "active_module": "orders",
            "retailer": retailer,
            "order_statuses": Order.Status,
            "licence_warning": licence_warning(retailer, timezone.localdate()),
            "account_manager": account_manager_contact(retailer),
        },
    )
