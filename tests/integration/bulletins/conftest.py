import pytest

from tests.factories.bulletins import board_of
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory


@pytest.fixture
def sales(db):
    return DepartmentFactory(code="sales", name="销售科", name_en="Sales")


@pytest.fixture
def quality(db):
    return DepartmentFactory(code="quality", name="质检科", name_en="Quality Inspection")


def make_head(department):
    """An employee of `department` who heads it (with the department-head role)."""
    from portal.permissions import Role

    head = EmployeeFactory(department=department, user=UserFactory(roles=[Role.DEPARTMENT_HEAD]))
    department.head = head
    department.save()
    return head


@pytest.fixture
def sales_head(sales):
    return make_head(sales)


@pytest.fixture
def quality_head(quality):
    return make_head(quality)


@pytest.fixture
def sales_board(sales):
    return board_of(sales)


@pytest.fixture
def quality_board(quality):
    return board_of(quality)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The home page's notice lists are cached; a test starts without another test's lists."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
