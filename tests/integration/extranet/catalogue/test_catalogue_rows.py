"""The catalogue's written-out statement (extranet/catalogue/catalogue_rows.py) gives the
products, stock and allowances the selectors it mirrors give (`selectors.catalogue`,
`selectors.allowances`), on SQLite and on PostgreSQL, for every search and page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from extranet import rules
from extranet.catalogue import selectors
from extranet.catalogue.catalogue_rows import CatalogueRows
from extranet.catalogue.models import AllocationUsage, Stock
from tests.factories.extranet import (
    AllocationFactory,
    BrandFactory,
    OrderingRetailerFactory,
    ProductFactory,
    RetailerAllocationFactory,
)

pytestmark = pytest.mark.django_db


def _expected(retailer, *, query="", brand_id=None):
    products = list(selectors.catalogue(query=query, brand_id=brand_id))
    limits = selectors.allowances(
        retailer=retailer, product_ids=[p.pk for p in products if p.is_scarce]
    )
    return [
        {
            "pk": p.pk,
            "brand": p.brand.name,
            "name": p.name,
            "status": p.status,
            "wholesale_price": p.wholesale_price,
            "retail_price": p.retail_price,
            "available": p.stock.available if hasattr(p, "stock") else None,
            "allowance": limits.get(p.pk) if p.is_scarce else None,
        }
        for p in products
    ]


@pytest.fixture
def catalogue():
    retailer = OrderingRetailerFactory(grade=8)
    other = OrderingRetailerFactory(grade=3)
    cycle = rules.order_window(retailer.order_day, timezone.now()).cycle
    other_brand = BrandFactory(name="Double_Happiness 100%")
    ProductFactory(name="Plain", wholesale_price=Decimal("1234.50"), retail_price=Decimal("7"))
    ProductFactory(name="Discontinued", status="discontinued")
    ProductFactory(name="New one", status="new", stock=0)
    no_stock = ProductFactory(name="No stock row", code="ab-12", barcode="6901234567890")
    Stock.objects.filter(product=no_stock).delete()
    ProductFactory(name="Mild 50%_off", brand=other_brand)
    by_grade = AllocationFactory(grade=8, cartons=6, product__name="By grade").product
    AllocationFactory(grade=3, cartons=9, product=by_grade)
    AllocationUsage.objects.create(retailer=retailer, product=by_grade, cycle=cycle, cartons=4)
    AllocationUsage.objects.create(
        retailer=retailer, product=by_grade, cycle=cycle - timedelta(days=7), cartons=6
    )
    AllocationUsage.objects.create(retailer=other, product=by_grade, cycle=cycle, cartons=1)
    own = RetailerAllocationFactory(retailer=retailer, cartons=2, product__name="Own").product
    AllocationFactory(grade=8, cartons=50, product=own)
    AllocationUsage.objects.create(retailer=retailer, product=own, cycle=cycle, cartons=5)
    RetailerAllocationFactory(retailer=other, cartons=7, product__name="Someone else's")
    AllocationFactory(grade=3, cartons=5, product__name="Other grade only")
    return {"retailer": retailer, "other": other, "brand": other_brand, "no_stock": no_stock}


SEARCHES = [
    "",
    "  ",
    "plain",
    "PLAIN",
    "利群",
    "double_happiness",
    "100%",
    "50%_",
    "%",
    "_",
    "AB-12",
    "ab-1",
    "6901234567890",
    "690123456789",
    "nothing like it",
    "by",
]


@pytest.mark.parametrize("query", SEARCHES)
def test_the_statement_finds_what_the_selectors_find(catalogue, query):
    for retailer in (catalogue["retailer"], catalogue["other"]):
        for brand_id in (None, catalogue["brand"].pk):
            rows = CatalogueRows(retailer=retailer, query=query, brand_id=brand_id, per_page=100)
            assert rows.count() == len(_expected(retailer, query=query, brand_id=brand_id))
            assert rows[0:100] == _expected(retailer, query=query, brand_id=brand_id)


def test_allowances_are_the_retailers_own_else_its_grades_else_none(catalogue):
    rows = {
        row["name"]: row["allowance"]
        for row in CatalogueRows(retailer=catalogue["retailer"], per_page=100)[0:100]
    }
    assert rows["By grade"] == (6, 2)
    assert rows["Own"] == (2, 0)
    assert rows["Someone else's"] == (0, 0)
    assert rows["Other grade only"] == (0, 0)
    assert rows["Plain"] is None
    assert "Discontinued" not in rows


@pytest.mark.parametrize("number", ["1", "2", "3", "99", "0", "-1", "x", None])
def test_every_page_is_the_selectors_page(catalogue, number):
    retailer = catalogue["retailer"]
    expected = Paginator(_expected(retailer), 3).get_page(number)
    rows = CatalogueRows(retailer=retailer, number=number or 1, per_page=3)
    page = Paginator(rows, 3).get_page(number)
    assert (page.number, page.paginator.num_pages) == (expected.number, 3)
    assert list(page.object_list) == list(expected.object_list)


def test_a_page_reads_its_rows_and_count_in_one_statement(catalogue, django_assert_num_queries):
    retailer = catalogue["retailer"]
    with django_assert_num_queries(1):
        page = Paginator(CatalogueRows(retailer=retailer, number=2, per_page=3), 3).get_page(2)
        assert len(list(page.object_list)) == 3
