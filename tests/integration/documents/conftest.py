"""Fixtures of the documents tests: a small factory with departments, heads and a manager."""

from dataclasses import dataclass

import pytest
from django.conf import settings

from portal.models import Department, Employee
from portal.permissions import Role
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory


@dataclass
class Factory:
    office: Department  # issuing department (Director's Office)
    quality: Department
    lab: Department  # a section of quality
    sales: Department
    head: Employee  # head of the office: the competent leader
    quality_head: Employee
    manager: Employee  # document manager
    quality_member: Employee
    lab_member: Employee
    sales_member: Employee


def employee_in(department, roles=()):
    return EmployeeFactory(department=department, user=UserFactory(roles=list(roles)))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The register's counts are cached; ids repeat between tests whose data was rolled back."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plant(db):
    office = DepartmentFactory(
        code="director-office", name="厂长办公室", name_en="Director's Office"
    )
    quality = DepartmentFactory(code="quality", name="质检科", name_en="Quality Inspection")
    lab = DepartmentFactory(
        code="quality-lab", name="理化检验室", name_en="Laboratory", parent=quality
    )
    sales = DepartmentFactory(code="sales", name="销售科", name_en="Sales")
    head = employee_in(office, [Role.DEPARTMENT_HEAD])
    office.head = head
    office.save()
    quality_head = employee_in(quality, [Role.DEPARTMENT_HEAD])
    quality.head = quality_head
    quality.save()
    return Factory(
        office=office,
        quality=quality,
        lab=lab,
        sales=sales,
        head=head,
        quality_head=quality_head,
        manager=employee_in(sales, [Role.DOCUMENT_MANAGER]),
        quality_member=employee_in(quality),
        lab_member=employee_in(lab),
        sales_member=employee_in(sales),
    )


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
