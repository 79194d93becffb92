import pytest

from portal.models import Position
from tests.conftest import make_role_user
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory


@pytest.fixture
def factory_departments(db):
    production = DepartmentFactory(code="production", name="生产科", name_en="Production")
    rolling = DepartmentFactory(
        code="production-rolling", name="卷包车间", name_en="Rolling", parent=production
    )
    quality = DepartmentFactory(code="quality", name="质检科", name_en="Quality")
    return {"production": production, "rolling": rolling, "quality": quality}


@pytest.fixture
def people(factory_departments):
    inspector = Position.objects.create(name="检验员", name_en="Inspector", rank=40)
    d = factory_departments

    def person(name, department, **extra):
        number = extra.pop("number", None)
        kwargs = {"employee_number": number} if number else {}
        return EmployeeFactory(name=name, department=department, **kwargs, **extra)

    return {
        "zhangwei": person("张伟", d["production"], extension="8001"),
        "zhangweiguo": person("张卫国", d["rolling"], extension="8002"),
        "zhangwen": person("张文", d["quality"], position=inspector, extension="8003"),
        "wangzhi": person("王志", d["quality"], extension="5123"),
        "shantian": person("单田芳", d["quality"], extension="8005"),
    }


@pytest.fixture
def signed_in(client, intranet, employee):
    # The factory's names come round in turn, so the reader could be another 张伟 and show
    # up in the searches under test: give them a name no test looks for.
    employee.employee.name = "司马光"
    employee.employee.save()
    client.force_login(employee)
    client.cookies["portal_language"] = "en"
    return client


@pytest.fixture
def admin_client(client, intranet):
    client.force_login(make_role_user("superuser"))
    client.cookies["portal_language"] = "en"
    return client


def inactive_employee(name, department):
    return EmployeeFactory(name=name, department=department, user=UserFactory(is_active=False))


@pytest.fixture(autouse=True)
def english():
    """Messages made outside a request are read in English (requests pick their own)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_directory_names():
    """The search's cached copy of department and position names outlives a test's rollback
    (the cache is not the database): each test starts without it."""
    from portal.directory.selectors import forget_directory_names

    forget_directory_names()
    yield
    forget_directory_names()
