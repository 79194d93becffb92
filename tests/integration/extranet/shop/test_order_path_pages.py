"""The cart and order pages written in Python (extranet/shop/page_html.py) and the fast reads
of the add-to-cart and checkout forms (extranet/ordering/forms.py): the same page, the same
translations and the same refusals as the templates and forms they replace."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from extranet import rules
from extranet.ordering.forms import (
    AddToCartForm,
    CheckoutForm,
    add_to_cart_read,
    checkout_read,
)
from extranet.ordering.models import Order, OrderStatusChange
from extranet.shop import page_html
from tests.factories.extranet import OrderFactory, OrderingRetailerFactory, ProductFactory
from tests.factories.people import RetailerLoginFactory

LINES = [
    {
        "pk": 3,
        "label": "利群 <b>&",
        "price": Decimal("850"),
        "quantity": 5,
        "amount": Decimal("4250"),
        "stock_level": rules.STOCK_AVAILABLE,
        "limit": 2,
        "remaining": 0,
        "over_limit": True,
    },
    {
        "pk": 7,
        "label": "玉溪",
        "price": Decimal("1260.5"),
        "quantity": 1,
        "amount": Decimal("1260.5"),
        "stock_level": rules.STOCK_LIMITED,
        "limit": None,
        "remaining": None,
        "over_limit": False,
    },
]


def _cart(**changes):
    now = timezone.now()
    values = {
        "lines": LINES,
        "total": Decimal("5510.5"),
        "credit": None,
        "csrf_token": "TOKEN",
        "idempotency_key": "KEY",
        "cart_token": "abc:2",
        "window": rules.order_window(timezone.localdate(now).weekday(), now),
        "closed_message": None,
        "licence_warning": None,
        "stock_labels": rules.STOCK_LABELS,
    }
    values.update(changes)
    return str(page_html.cart_body(**values))


@pytest.fixture
def urls(extranet):
    return extranet


def test_cart_body_escapes_and_marks_the_line_over_its_allowance(urls):
    html = _cart()
    assert "利群 &lt;b&gt;&amp;" in html and "<b>" not in html
    assert html.count("over-limit") == 1 and "More than your remaining allowance." in html
    assert "Limit 2 cartons this cycle; 0 remaining" in html
    assert "¥1,260.50 per carton" in html and "Total: ¥5,510.50" in html
    assert 'name="quantity-7" value="1"' in html and 'name="remove-3"' in html
    assert 'name="idempotency_key" value="KEY"' in html and 'name="cart" value="abc:2"' in html
    assert html.count('name="csrfmiddlewaretoken" value="TOKEN"') == 2
    assert "Available credit" not in html and "disabled" not in html


def test_cart_body_disables_checkout_with_the_reason_and_shows_credit(urls):
    html = _cart(
        closed_message="Closed <now>",
        credit=Decimal("-3.5"),
        licence_warning={"expires_on": date(2027, 1, 2), "days_left": 1, "expired": False},
    )
    assert 'disabled aria-describedby="checkout-refused"' in html
    assert '<p class="disabled-reason" id="checkout-refused">Closed &lt;now&gt;</p>' in html
    assert "Available credit: -¥3.50" in html
    assert "(in 1 day)" in html and "window-open" not in html


def test_cart_and_order_bodies_keep_their_translations(urls):
    order = Order(
        id=42,
        retailer_id=1,
        cycle=date(2026, 12, 7),
        status=Order.Status.CANCELLED,
        total_cartons=3,
        total_amount=Decimal("30"),
        cancel_reason="<stock>",
    )
    history = [
        OrderStatusChange(
            order_id=42, status="cancelled", changed_at=datetime(2026, 12, 6, tzinfo=UTC), note="x"
        )
    ]
    lines = [
        {
            "product__brand__name": "中华",
            "product__name": "软",
            "quantity": 3,
            "unit_price": Decimal("10"),
            "amount": Decimal("30"),
        }
    ]
    with translation.override("zh-hans"):
        cart = _cart(credit=Decimal("12"))
        body = str(
            page_html.order_body(
                order=order, lines=lines, history=history, may_cancel=False, csrf_token="T"
            )
        )
    for translated in ("每条 ¥850.00", "本周期限购 2 条，还可订 0 条", "超出您的剩余额度。"):
        assert translated in cart
    assert "可用信用额度：¥12.00" in cart and "提交订单" in cart
    assert "订货日 " in body and "状态记录" in body and "&lt;stock&gt;" in body
    assert "Cancel order" not in body and reverse("shop:order_reorder", args=[42]) in body


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory())
    client.force_login(login.user)
    client.retailer = login.retailer
    return client


@pytest.mark.django_db
def test_the_cart_and_order_pages_render_no_template_per_line_or_include(shop):
    products = [ProductFactory(stock=50) for _ in range(3)]
    for product in products:
        shop.post(reverse("shop:cart_add"), {"product": product.pk, "quantity": 2})
    response = shop.get(reverse("shop:cart"))
    html = response.content.decode()
    assert all(f'name="quantity-{product.pk}" value="2"' in html for product in products)
    used = {template.name for template in response.templates}
    assert "extranet/includes/window.html" not in used
    order = OrderFactory(retailer=shop.retailer, lines=[(product, 1) for product in products])
    response = shop.get(reverse("shop:order", args=[order.pk]))
    assert response.status_code == 200 and order.number in response.content.decode()
    assert response.context["order"].pk == order.pk


def _post(**values):
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data[name] = value
    return data


@pytest.mark.parametrize(
    "values",
    [
        {"product": "12", "quantity": "3"},
        {"product": "12", "quantity": " 3 "},
        {"product": "12", "quantity": "0"},
        {"product": "12", "quantity": "-1"},
        {"product": "12", "quantity": "1000000"},
        {"product": "12", "quantity": "x"},
        {"product": "", "quantity": "2"},
        {"quantity": "2"},
        {"product": "1.0", "quantity": "+4"},
        {"product": "١٢", "quantity": "2"},
    ],
)
def test_add_to_cart_read_answers_as_the_form_does(values):
    form = AddToCartForm(_post(**values))
    expected = (
        (form.cleaned_data, [])
        if form.is_valid()
        else (None, [error for errors in form.errors.values() for error in errors])
    )
    assert add_to_cart_read(_post(**values)) == expected


@pytest.mark.parametrize(
    "values",
    [
        {"idempotency_key": "k", "cart": "abc:2"},
        {"cart": "abc:2"},
        {"idempotency_key": "", "cart": ""},
        {"idempotency_key": " k ", "cart": " abc:2 "},
        {"idempotency_key": "k" * 65, "cart": "abc:2"},
        {"idempotency_key": "k", "cart": "c" * 49},
        {"idempotency_key": "k\x00", "cart": "abc:2"},
    ],
)
def test_checkout_read_answers_as_the_form_does(values):
    form = CheckoutForm(_post(**values))
    assert checkout_read(_post(**values)) == (form.cleaned_data if form.is_valid() else None)


@pytest.mark.django_db
def test_the_order_list_writes_each_order_from_its_columns(shop):
    products = [ProductFactory(), ProductFactory()]
    orders = [
        OrderFactory(retailer=shop.retailer, lines=[(products[0], 1)]),
        OrderFactory(retailer=shop.retailer, lines=[(products[0], 2), (products[1], 3)]),
    ]
    OrderFactory(lines=[(products[1], 1)])  # another retailer's
    response = shop.get(reverse("shop:orders"))
    html = response.content.decode()
    assert html.count('class="card order-row"') == 2
    for order in orders:
        order.refresh_from_db()
        assert f'href="{reverse("shop:order", args=[order.pk])}" class="order-number">' in html
        assert f"{order.total_cartons} carton" in html
    assert "1 carton ·" in html and "5 cartons ·" in html
    with translation.override("zh-hans"):
        assert "订货日" in str(
            page_html.order_rows_html(
                [(orders[0].pk, "submitted", orders[0].placed_at, orders[0].cycle, 1, Decimal("2"))]
            )
        )


@pytest.mark.django_db
def test_the_catalogue_marks_the_chosen_brand_and_escapes_brand_names(shop):
    product = ProductFactory(brand__name="<Brand>", stock=50)
    html = shop.get(reverse("shop:products"), {"brand": product.brand_id}).content.decode()
    assert (
        f'<li><a href="?brand={product.brand_id}" aria-current="true">&lt;Brand&gt;</a></li>'
        in html
    )
    response = shop.get(reverse("shop:products"))
    assert 'aria-current="true">&lt;Brand' not in response.content.decode()
    assert "extranet/includes/window.html" not in {t.name for t in response.templates}


# The catalogue's panel of new products as catalogue.html wrote it before page_html did.
_NEW_PRODUCTS_TEMPLATE = (
    "{% load i18n %}{% url 'shop:products' as products_url %}"
    '<section class="card new-products" aria-labelledby="new-heading">\n'
    '  <h2 id="new-heading">{% translate "New products" %}</h2>\n'
    '  <ul>{% for product in new_products %}<li><a href="{{ products_url }}{{ product.pk }}/">'
    "{{ product.brand.name }} {{ product.name }}</a>{% if product.launched_on %} · "
    '{{ product.launched_on|date:"DATE_FORMAT" }}{% endif %}</li>{% endfor %}</ul>\n'
    "</section>"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_new_products_panel_is_what_the_template_wrote(urls, language):
    products = [
        ProductFactory(name='<Slim> & "mild"', status="new", launched_on=date(2026, 11, 30)),
        ProductFactory(brand__name="O'Brand", status="new", launched_on=None),
    ]
    template = engines["django"].from_string(_NEW_PRODUCTS_TEMPLATE)
    with translation.override(language):
        expected = template.render({"new_products": products})
        assert str(page_html.new_products_html(products)) == expected
    assert "&lt;Slim&gt;" in expected
