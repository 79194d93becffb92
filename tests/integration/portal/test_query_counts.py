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


def test_the_department_admin_listing_has_bounded_queries(client, intranet):
    from django.urls import reverse

    from portal.models import Department
    from tests.conftest import make_role_user
    from tests.factories.people import DepartmentFactory

    def grow(n):
        parent = DepartmentFactory()
        for _ in range(Department.objects.count(), n):
            DepartmentFactory(parent=parent, head=EmployeeFactory(department=parent))

    client.force_login(make_role_user("superuser"))
    assert_bounded_queries(client, reverse("department:index"), grow, max_queries=25)
