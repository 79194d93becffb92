"""What a retailer sees of its cart and of the actions it cannot take: the cart with its count
in the header of every extranet page, an order button that is disabled with the reason beside
it while ordering is closed, and no "add to cart" for a product without allowance."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from extranet.models import Order
from tests.factories.extranet import AllocationFactory, OrderingRetailerFactory, ProductFactory
from tests.factories.people import RetailerLoginFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

CART_LINK = re.compile(
    r'<a class="cart-link" href="/shop/cart/"[^>]*>[^<]*'
    r'<span class="cart-count" data-testid="cart-count">(\d+)</span>'
)


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory(grade=8))
    client.force_login(login.user)
    client.retailer = login.retailer
    return client


def add(client, product, quantity=1):
    return client.post(reverse("shop:cart_add"), {"product": product.pk, "quantity": quantity})


def header_of(html):
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def close_ordering(retailer):
    retailer.order_day = (timezone.localdate().weekday() + 1) % 7
    retailer.save()


@pytest.mark.parametrize("url", ["/", "/shop/products/", "/shop/orders/", "/shop/feedback/"])
def test_the_header_shows_the_cart_with_its_count_on_every_page(shop, url):
    assert CART_LINK.findall(header_of(shop.get(url).content.decode())) == ["0"]
    add(shop, ProductFactory(stock=50), 3)
    add(shop, ProductFactory(stock=50), 2)
    # Two products in the cart, however many cartons of each.
    assert CART_LINK.findall(header_of(shop.get(url).content.decode())) == ["2"]


def test_the_cart_count_costs_no_query(shop, settings):
    add(shop, ProductFactory(stock=50))
    url = "/shop/feedback/"
    shop.get(url)
    with_count = count_queries(shop, url)
    template = settings.TEMPLATES[0]
    processors = template["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **template,
            "OPTIONS": {
                **template["OPTIONS"],
                "context_processors": [p for p in processors if not p.endswith(".cart")],
            },
        }
    ]
    assert "cart-link" not in shop.get(url).content.decode()
    assert count_queries(shop, url) == with_count


def test_visitors_see_no_cart(client, extranet):
    assert "cart-link" not in client.get("/accounts/login/").content.decode()


def test_employees_on_the_intranet_see_no_cart(client, intranet, employee):
    client.force_login(employee)
    assert "cart-link" not in client.get("/").content.decode()


def test_a_closed_window_disables_the_order_button_with_the_reason_beside_it(shop):
    add(shop, ProductFactory(stock=50))
    html = shop.get(reverse("shop:cart")).content.decode()
    button = re.search(r'<form [^>]*class="checkout-form".*?</form>', html, re.S).group(0)
    assert "disabled" not in button

    close_ordering(shop.retailer)
    html = shop.get(reverse("shop:cart")).content.decode()
    checkout = re.search(r'<form [^>]*class="checkout-form".*?</form>', html, re.S).group(0)
    assert re.search(
        r'<button type="submit" class="primary" disabled aria-describedby="checkout-refused">',
        checkout,
    )
    reason = re.search(r'<p class="disabled-reason" id="checkout-refused">([^<]+)</p>', checkout)
    assert reason and "Ordering is closed" in reason.group(1)
    # Said once, beside the button, not a second time above the cart.
    assert html.count("Ordering is closed") == 1
    shop.post(reverse("shop:checkout"), {"idempotency_key": "x", "cart": "y"})
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("cartons", "ordered", "reason"),
    [
        (0, 0, "No allowance for your store this cycle."),
        (4, 4, "Your allowance for this cycle is used up."),
    ],
)
def test_a_product_without_allowance_is_not_offered_for_the_cart(shop, cartons, ordered, reason):
    allocation = AllocationFactory(grade=8, cartons=cartons, product__stock=100)
    product = allocation.product
    if ordered:
        from extranet.ordering.services import new_idempotency_key, order_place

        order_place(
            retailer=shop.retailer,
            lines=[(product.pk, ordered)],
            idempotency_key=new_idempotency_key(),
        )
    for url in (reverse("shop:products"), reverse("shop:product", args=[product.pk])):
        html = shop.get(url).content.decode()
        assert 'class="add-to-cart"' not in html
        assert f'<p class="add-refused">{reason}</p>' in html
    response = add(shop, product)
    assert response["Location"] == reverse("shop:product", args=[product.pk])
    assert shop.session.get("extranet_cart", {}) == {}


def test_a_product_with_allowance_left_is_offered(shop):
    product = AllocationFactory(grade=8, cartons=4, product__stock=100).product
    html = shop.get(reverse("shop:product", args=[product.pk])).content.decode()
    assert 'class="add-to-cart"' in html and "add-refused" not in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_shop_navigation_follows_the_cart_in_each_language(shop, settings, language):
    """The shop's navigation is kept per cart count and language ({% shop_nav %}): it reads as
    its template rendered afresh, with this retailer's count."""
    from django.template.loader import render_to_string
    from django.utils import translation

    def nav_of(html):
        start = html.index('<nav class="shop-nav"')
        return html[start : html.index("</nav>", start) + len("</nav>")]

    shop.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        for count in (0, 1, 2):
            html = shop.get("/shop/orders/").content.decode()
            fresh = render_to_string("extranet/includes/shop_nav.html", {"cart_count": count})
            assert nav_of(html) == nav_of(fresh)
            assert (f"({count})" in nav_of(html)) is (count > 0)
            add(shop, ProductFactory(stock=50), 1)
