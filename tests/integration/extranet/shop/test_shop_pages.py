"""The retailers' ordering pages on the extranet."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from extranet.models import Order, Stock
from extranet.ordering.services import order_place
from tests.factories.extranet import (
    AllocationFactory,
    OrderFactory,
    OrderingRetailerFactory,
    ProductFactory,
)
from tests.factories.people import RetailerLoginFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory())
    client.force_login(login.user)
    client.retailer = login.retailer
    return client


def add(client, product, quantity):
    return client.post(
        reverse("shop:cart_add"), {"product": product.pk, "quantity": quantity}, follow=True
    )


def checkout_form(client):
    """The checkout form's fields as the cart page shows them: a new idempotency key and the
    identity of the cart shown."""
    response = client.get(reverse("shop:cart"))
    form = response.context["checkout"]
    return {"idempotency_key": form["idempotency_key"], "cart": form["cart"]}


def test_catalogue_searches_and_shows_stock_as_a_level_not_a_number(shop, settings):
    settings.EXTRANET_STOCK_LIMITED_BELOW = 50
    ProductFactory(name="软蓝", stock=4321)
    ProductFactory(name="硬红", stock=12)
    ProductFactory(name="停产款", status="discontinued")
    response = shop.get(reverse("shop:products"), {"q": "软"})
    text = response.content.decode()
    assert "软蓝" in text and "硬红" not in text and "4321" not in text
    assert "stock-available" in text
    text = shop.get(reverse("shop:products")).content.decode()
    assert "stock-limited" in text and "停产款" not in text


def test_product_detail_shows_the_remaining_allowance(shop):
    shop.retailer.grade = 8
    shop.retailer.save()
    product = AllocationFactory(grade=8, cartons=6).product
    response = shop.get(reverse("shop:product", args=[product.pk]))
    assert response.context["allowance"] == (6, 6)


def test_cart_and_checkout_place_one_order_even_when_submitted_twice(shop):
    product = ProductFactory(stock=50, wholesale_price=Decimal("100.00"))
    add(shop, product, 3)
    form = checkout_form(shop)
    first = shop.post(reverse("shop:checkout"), {**form, "price": "0.01"})
    second = shop.post(reverse("shop:checkout"), form, follow=True)
    order = Order.objects.get()
    assert first["Location"] == reverse("shop:order", args=[order.pk])
    assert second.status_code == 200 and second.context["order"].pk == order.pk
    # The posted price is ignored: prices come from the database.
    assert order.total_amount == Decimal("300.00")
    assert Stock.objects.get(product=product).available == 47
    history = shop.get(reverse("shop:orders")).content.decode()
    assert order.number in history


def test_cart_shows_each_lines_limit_and_remaining_allowance(shop):
    shop.retailer.grade = 8
    shop.retailer.save()
    product = AllocationFactory(grade=8, cartons=4).product
    add(shop, product, 6)
    response = shop.get(reverse("shop:cart"))
    (line,) = response.context["lines"]
    assert (line["limit"], line["remaining"], line["over_limit"]) == (4, 4, True)
    response = shop.post(reverse("shop:checkout"), checkout_form(shop), follow=True)
    assert "limit is 4 cartons" in response.content.decode()
    assert Order.objects.count() == 0


@pytest.mark.parametrize("quantity", ["-3", "0", "99999999999", "abc"])
def test_bad_quantities_get_a_message_and_change_nothing(shop, quantity):
    product = ProductFactory()
    response = add(shop, product, quantity)
    assert response.status_code == 200
    assert response.context["messages"]
    assert shop.session.get("extranet_cart", {}) == {}


@pytest.mark.parametrize("product", ["987654", "99999999999999999999", "-1", "0"])
def test_unknown_product_is_refused(shop, product):
    response = shop.post(reverse("shop:cart_add"), {"product": product, "quantity": 1}, follow=True)
    assert response.status_code == 200
    assert "cannot be ordered" in response.content.decode()
    assert shop.session.get("extranet_cart", {}) == {}


def test_a_discontinued_product_is_refused(shop):
    product = ProductFactory(status="discontinued", stock=50)
    response = add(shop, product, 1)
    assert "cannot be ordered" in response.content.decode()
    assert shop.session.get("extranet_cart", {}) == {}


def test_closed_window_is_explained_on_the_cart(shop):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    shop.retailer.order_day = (today.weekday() + 1) % 7
    shop.retailer.save()
    add(shop, ProductFactory(), 1)
    response = shop.get(reverse("shop:cart"))
    assert "Ordering is closed. Your next order day is" in response.content.decode()
    assert (today + datetime.timedelta(days=1)).strftime("%Y") in response.content.decode()
    response = shop.post(reverse("shop:checkout"), checkout_form(shop), follow=True)
    assert Order.objects.count() == 0
    assert "Ordering is closed. Your next order day is" in response.content.decode()


def test_another_retailers_order_is_not_found(shop):
    other = OrderFactory()
    for name in ("shop:order", "shop:order_cancel"):
        assert shop.get(reverse(name, args=[other.pk])).status_code == 404
    assert shop.post(reverse("shop:order_reorder", args=[other.pk])).status_code == 404
    assert shop.post(reverse("shop:order_cancel", args=[other.pk])).status_code == 404


def test_retailer_cancels_a_submitted_order_after_confirming(shop):
    product = ProductFactory(stock=10)
    order = order_place(retailer=shop.retailer, lines=[(product.pk, 4)], idempotency_key="k")
    page = shop.get(reverse("shop:order_cancel", args=[order.pk]))
    assert "cannot be undone" in page.content.decode()
    shop.post(reverse("shop:order_cancel", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert Stock.objects.get(product=product).available == 10


def test_reorder_fills_the_cart_with_todays_quantities_and_notes(shop):
    product = ProductFactory(stock=10)
    order = order_place(retailer=shop.retailer, lines=[(product.pk, 8)], idempotency_key="k")
    response = shop.post(reverse("shop:order_reorder", args=[order.pk]), follow=True)
    assert shop.session["extranet_cart"] == {str(product.pk): 2}
    assert "cut from 8 to 2" in response.content.decode()
    shop.post(reverse("shop:checkout"), checkout_form(shop))
    assert Order.objects.filter(reorder_of=order).count() == 1


def test_profile_shows_the_retailers_own_data(shop):
    response = shop.get(reverse("shop:profile"))
    assert shop.retailer.licence_number in response.content.decode()


def test_catalogue_queries_do_not_grow(shop):
    def grow(size):
        for _ in range(size):
            AllocationFactory(grade=shop.retailer.grade)
            ProductFactory()

    assert_bounded_queries(shop, reverse("shop:products"), grow, max_queries=14)


def test_order_history_and_detail_queries_do_not_grow(shop):
    product = ProductFactory()
    first = OrderFactory(retailer=shop.retailer, lines=[(product, 1)])

    def grow(size):
        for _ in range(size):
            OrderFactory(retailer=shop.retailer, lines=[(ProductFactory(), 2), (product, 1)])

    assert_bounded_queries(shop, reverse("shop:orders"), grow, max_queries=10)

    def grow_lines(size):
        for _ in range(size):
            from extranet.models import OrderLine

            item = ProductFactory()
            OrderLine.objects.create(order=first, product=item, quantity=1, unit_price=1, amount=1)

    assert_bounded_queries(shop, reverse("shop:order", args=[first.pk]), grow_lines, max_queries=12)


def test_cart_queries_do_not_grow(shop):
    def grow(size):
        cart = shop.session.get("extranet_cart", {})
        for _ in range(size):
            cart[str(AllocationFactory(grade=shop.retailer.grade).product.pk)] = 1
        session = shop.session
        session["extranet_cart"] = cart
        session.save()

    assert_bounded_queries(shop, reverse("shop:cart"), grow, max_queries=14)


def test_product_detail_queries_do_not_grow(shop):
    from datetime import date

    from extranet.models import SalesPolicy

    product = AllocationFactory(grade=shop.retailer.grade).product

    def grow(size):
        for index in range(size):
            SalesPolicy.objects.create(
                product=product, title=f"政策{index}", body="<p>x</p>", valid_from=date(2026, 1, 1)
            )

    assert_bounded_queries(shop, reverse("shop:product", args=[product.pk]), grow, max_queries=12)


def test_the_catalogues_brands_and_new_products_come_from_the_cache_until_one_changes(shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from extranet.models import Brand, Product
    from tests.factories.extranet import BrandFactory

    product = ProductFactory(brand=BrandFactory(name="利群"), status=Product.Status.NEW)
    url = reverse("shop:products")
    shop.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = shop.get(url).content.decode()
    assert "利群" in page and product.name in page
    # Neither the brand list nor the new products were asked for again.
    assert not any(
        query["sql"].startswith('SELECT "extranet_brand"."id" AS "pk"')
        or 'ORDER BY "extranet_product"."launched_on" DESC' in query["sql"]
        for query in queries.captured_queries
    )

    # A new brand and a new product show at once; a renamed product too.
    other = ProductFactory(
        brand=BrandFactory(name="黄山"), name="红方印", status=Product.Status.NEW
    )
    page = shop.get(url).content.decode()
    assert "黄山" in page and "红方印" in page
    product.name = "改名后的新品"
    product.save()
    assert "改名后的新品" in shop.get(url).content.decode()
    other.delete()
    Brand.objects.filter(name="黄山").get().delete()
    assert "黄山" not in shop.get(url).content.decode()


def test_prices_and_totals_read_as_money_on_every_shop_page(shop):
    """¥ with thousands separators and two decimals (portal/figures.py), on the catalogue,
    the product, the cart and checkout, the order history and the order's page."""
    product = ProductFactory(
        name="大红袍", stock=500, wholesale_price=Decimal("1234.5"), retail_price=Decimal("1500")
    )
    catalogue = shop.get(reverse("shop:products")).content.decode()
    assert "¥1,234.50 per carton" in catalogue and "suggested retail ¥1,500.00" in catalogue
    detail = shop.get(reverse("shop:product", args=[product.pk])).content.decode()
    assert "¥1,234.50 per carton" in detail
    add(shop, product, 10)
    cart = shop.get(reverse("shop:cart")).content.decode()
    assert "¥12,345.00" in cart and "Total: ¥12,345.00" in cart
    assert "12345.00" not in cart
    shop.post(reverse("shop:checkout"), checkout_form(shop))
    order = Order.objects.get()
    orders = shop.get(reverse("shop:orders")).content.decode()
    assert "¥12,345.00" in orders and "¥12345" not in orders
    page = shop.get(reverse("shop:order", args=[order.pk])).content.decode()
    assert "<td>¥1,234.50</td><td>¥12,345.00</td>" in page
    assert "<td>¥12,345.00</td></tr></tfoot>" in page


def test_catalogue_rows_show_allowance_refusal_stock_and_new_badge(shop):
    """The rows the view writes itself: a link to the product, the allowance of a scarce
    product, the refusal when none is left, no form when out of stock, the new badge."""
    shop.retailer.grade = 8
    shop.retailer.save()
    allotted = AllocationFactory(grade=8, cartons=4, product__name="Allotted <b>").product
    refused = AllocationFactory(grade=8, cartons=0, product__name="Refused").product
    out = ProductFactory(name="Sold out", stock=0)
    new = ProductFactory(name="Newcomer", status="new", stock=50)
    html = shop.get(reverse("shop:products")).content.decode()
    assert f'href="/shop/products/{allotted.pk}/"' in html
    assert "Allotted &lt;b&gt;" in html and "Allotted <b>" not in html
    assert "Allocated: 4 of 4 cartons left this cycle" in html
    assert '<p class="add-refused">No allowance for your store this cycle.</p>' in html
    assert f'name="product" value="{allotted.pk}"' in html
    assert f'name="product" value="{refused.pk}"' not in html
    assert f'name="product" value="{out.pk}"' not in html
    assert f'name="product" value="{new.pk}"' in html
    assert html.count('<span class="badge badge-new">') == 1


def test_a_catalogue_and_cart_without_scarce_products_ask_no_allowance(shop):
    product = ProductFactory(stock=50)
    add(shop, product, 2)
    for url in (reverse("shop:products"), reverse("shop:cart")):
        with CaptureQueriesContext(connection) as queries:
            assert shop.get(url).status_code == 200
        for query in queries.captured_queries:
            assert 'FROM "extranet_allocation' not in query["sql"]
            assert 'WHERE ("extranet_product"."is_scarce"' not in query["sql"]
