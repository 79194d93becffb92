"""People maintenance in Wagtail admin: a password set there is issued (to be changed at the
next sign-in); deactivating hides the person and blocks sign-in, keeping their history."""

import pytest
from django.urls import reverse

from portal.models import AuditEntry, Employee
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db


def form_data(employee, **changes):
    data = {
        "employee_number": employee.employee_number,
        "name": employee.name,
        "email": employee.user.email,
        "department": employee.department_id,
        "position": "",
        "phone": employee.phone,
        "extension": employee.extension,
        "office": employee.office,
        "is_active": "on",
        "new_password": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_password_set_in_admin_must_be_changed_at_next_sign_in(admin_client, people):
    person = people["zhangwei"]
    url = reverse("employee:edit", args=[person.pk])
    response = admin_client.post(url, form_data(person, new_password="Issued-Secret-2026"))
    assert response.status_code == 302, response.content.decode()[:3000]
    person.user.refresh_from_db()
    assert person.user.check_password("Issued-Secret-2026")
    assert person.user.must_change_password is True
    assert AuditEntry.objects.filter(action="user.password_issued").exists()


def test_deactivating_hides_the_person_and_blocks_sign_in_keeping_history(admin_client, people):
    from django.test import Client

    person = people["zhangwen"]
    url = reverse("employee:edit", args=[person.pk])
    response = admin_client.post(url, form_data(person, is_active=None))
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.user.is_active is False
    assert Employee.objects.filter(pk=person.pk).exists()
    assert AuditEntry.objects.filter(action="employee.deactivated").exists()

    admin_client.cookies["portal_language"] = "en"
    html = admin_client.get("/directory/").content.decode()
    assert f"/directory/people/{person.pk}/" not in html
    assert f"/directory/people/{people['zhangwei'].pk}/" in html
    visitor = Client()
    visitor.post("/accounts/login/", {"login": person.employee_number, "password": PASSWORD})
    assert "_auth_user_id" not in visitor.session
    # The same sign-in works for a colleague who is still active.
    active = people["zhangwei"]
    visitor.post("/accounts/login/", {"login": active.employee_number, "password": PASSWORD})
    assert visitor.session["_auth_user_id"] == str(active.user_id)


def test_an_employee_created_in_admin_gets_a_directory_entry(admin_client, factory_departments):
    response = admin_client.post(
        reverse("employee:add"),
        {
            "employee_number": "E30001",
            "name": "解放",
            "email": "xie.fang@factory.example.com",
            "department": factory_departments["quality"].pk,
            "is_active": "on",
            "new_password": "Issued-Secret-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Employee.objects.get(employee_number="E30001")
    assert created.name_pinyin == "xie fang"
    assert created.user.must_change_password is True


def test_a_duplicate_email_is_refused_in_admin(admin_client, people):
    person = people["zhangwei"]
    url = reverse("employee:edit", args=[person.pk])
    response = admin_client.post(url, form_data(person, email=people["zhangwen"].user.email))
    assert response.status_code == 200
    person.user.refresh_from_db()
    assert person.user.email != people["zhangwen"].user.email


def test_employees_cannot_be_deleted_in_admin(admin_client, people):
    response = admin_client.get(reverse("employee:delete", args=[people["zhangwei"].pk]))
    assert response.status_code in (302, 403)
    assert Employee.objects.filter(pk=people["zhangwei"].pk).exists()


def test_the_admin_menu_links_to_the_employee_import_for_administrators(admin_client):
    assert "/directory/import/" in admin_client.get("/admin/").content.decode()


def test_the_admin_menu_hides_the_import_from_other_admin_roles(client, intranet):
    from tests.conftest import make_role_user

    client.force_login(make_role_user("knowledge_editor"))
    assert "/directory/import/" not in client.get("/admin/").content.decode()
