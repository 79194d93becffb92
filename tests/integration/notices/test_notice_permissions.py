"""Who may send a mass notice to whom (portal/notices/permissions.py)."""

import pytest

from portal.models import Department
from portal.notices.permissions import may_compose, notice_refusal
from portal.notices.selectors import audience_people
from portal.permissions import Role
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def refusal(user, audience):
    return notice_refusal(user=user, audience=audience, people=audience_people(audience))


@pytest.fixture
def head_of_production(people, factory_departments):
    production = factory_departments["production"]
    head = EmployeeFactory(name="刘科长", department=production)
    Department.objects.filter(pk=production.pk).update(head=head)
    return head.user


def test_a_head_sends_to_their_department_and_its_sections(head_of_production):
    assert (
        refusal(head_of_production, {"departments": ["production"], "include_sections": True})
        is None
    )
    assert refusal(head_of_production, {"departments": ["production-rolling"]}) is None


def test_a_head_is_refused_for_another_department_with_a_clear_message(head_of_production, people):
    message = refusal(head_of_production, {"departments": ["quality"]})
    assert "outside your department" in message and "3" in message
    # An individual from elsewhere mixed in is refused too.
    mixed = {"departments": ["production"], "people": [people["wangzhi"].employee_number]}
    assert "1 of the chosen recipients" in refusal(head_of_production, mixed)


def test_a_head_may_not_send_to_all_staff(head_of_production):
    assert "all staff" in refusal(head_of_production, {"all": True})


def test_the_department_head_role_covers_the_holders_own_department(people, factory_departments):
    user = UserFactory(roles=[Role.DEPARTMENT_HEAD])
    EmployeeFactory(user=user, department=factory_departments["quality"])
    assert refusal(user, {"departments": ["quality"]}) is None
    assert refusal(user, {"departments": ["production"]}) is not None


@pytest.mark.parametrize("code", ["director-office", "computer-center"])
def test_the_directors_office_and_computer_center_send_to_everyone(people, code):
    sender = EmployeeFactory(department=DepartmentFactory(code=code)).user
    assert may_compose(sender)
    assert refusal(sender, {"all": True}) is None
    assert refusal(sender, {"departments": ["quality", "production"]}) is None


def test_an_ordinary_employee_is_refused(people):
    user = people["wangzhi"].user
    assert not may_compose(user)
    assert "Only department heads" in refusal(user, {"departments": ["quality"]})


def test_an_employee_sees_the_refusal_instead_of_the_form(client, intranet, employee):
    client.force_login(employee)
    client.cookies["portal_language"] = "en"
    response = client.get("/notices/new/")
    assert response.status_code == 403
    assert "Only department heads" in response.content.decode()
