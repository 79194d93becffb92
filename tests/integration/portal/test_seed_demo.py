"""Demo data: the departments of DESIGN.md, ~200 staff, one login per role, a few retailers;
deterministic and idempotent."""

import pytest
from django.core.management import call_command

from extranet.models import Retailer
from portal.models import Department, Employee, InformationPage, User
from portal.permissions import Role, has_role

pytestmark = pytest.mark.django_db

DESIGN_DEPARTMENTS = {
    "厂长办公室",
    "综合计划科",
    "销售科",
    "生产科",
    "采购科",
    "质检科",
    "储运科",
    "财务科",
    "审计科",
    "企业管理办公室",
    "计算机中心",
}


def snapshot():
    return list(
        Employee.objects.order_by("employee_number").values_list(
            "employee_number", "name", "department__code", "user__email"
        )
    )


def test_seed_demo_creates_the_factory_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first

    top_level = set(Department.objects.filter(parent=None).values_list("name", flat=True))
    assert top_level == DESIGN_DEPARTMENTS
    assert Department.objects.exclude(parent=None).exists(), "sections exist"
    assert len(first) == 200
    assert all(Department.objects.filter(parent=None).values_list("head", flat=True))
    assert Retailer.objects.count() == 5
    assert User.objects.filter(kind=User.Kind.RETAILER).count() == 6
    assert InformationPage.objects.live().count() == 3

    for role in Role:
        if role == Role.RETAILER:
            continue
        holders = [user for user in User.objects.filter(kind="employee") if has_role(user, role)]
        assert holders, f"no demo user holds {role}"


def test_seed_demo_is_deterministic():
    call_command("seed_demo", verbosity=0)
    names = [name for _number, name, _dept, _email in snapshot()]
    assert names[8] == "张伟"
    assert len(set(names)) > 100, "realistic variety of names"
    assert Employee.objects.get(employee_number="E00009").name_initials == "zw"


def test_demo_logins_work_on_their_face(client, settings):
    from portal.demo import DEMO_PASSWORD
    from tests.conftest import set_face

    call_command("seed_demo", verbosity=0)
    set_face(settings, "intranet")
    response = client.post("/accounts/login/", {"login": "E00009", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200
    client.logout()
    set_face(settings, "extranet")
    response = client.post("/accounts/login/", {"login": "330102100001", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200
