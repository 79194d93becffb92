"""Every page of the skeleton runs a bounded number of queries at two data sizes."""

import pytest

from tests.factories.people import EmployeeFactory, RetailerLoginFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


def grow_employees(n):
    from portal.models import Employee

    missing = n - Employee.objects.count()
    if missing > 0:
        EmployeeFactory.create_batch(missing)


def grow_retailers(n):
    from extranet.models import Retailer

    missing = n - Retailer.objects.count()
    if missing > 0:
        RetailerLoginFactory.create_batch(missing)


@pytest.mark.parametrize(
    "url",
    ["/", "/directory/", "/bulletins/", "/forum/", "/knowledge/", "/documents/", "/sales/"],
)
def test_intranet_pages_have_bounded_queries(client, intranet, employee, url):
    client.force_login(employee)
    assert_bounded_queries(client, url, grow_employees, max_queries=10)


def test_login_page_has_bounded_queries(client, intranet):
    assert_bounded_queries(client, "/accounts/login/", grow_employees, max_queries=3)


@pytest.mark.parametrize("url", ["/", "/shop/products/", "/shop/orders/"])
def test_extranet_pages_have_bounded_queries(client, extranet, retailer_user, url):
    client.force_login(retailer_user)
    assert_bounded_queries(client, url, grow_retailers, max_queries=10)
