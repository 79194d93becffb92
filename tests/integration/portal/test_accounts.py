"""Accounts: one face per kind of account, no sign-up, issued passwords replaced at first login."""

import pytest
from django.urls import NoReverseMatch, reverse

from portal.services import user_issue_password
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.username, "password": password})


def test_employee_signs_in_on_the_intranet_with_employee_number(client, intranet, employee):
    response = login(client, employee)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_employee_signs_in_with_email(client, intranet, employee):
    response = client.post(
        reverse("account_login"), {"login": employee.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == employee.pk


def test_retailer_is_refused_on_the_intranet(client, intranet, retailer_user):
    # Like a wrong password, saying nothing of the account (tests/.../test_face_accounts.py).
    response = login(client, retailer_user)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_employee_is_refused_on_the_extranet(client, extranet, employee):
    response = login(client, employee)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_retailer_signs_in_on_the_extranet_with_licence_number(client, extranet, retailer_user):
    response = login(client, retailer_user)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_session_from_the_other_face_is_signed_out(client, settings, retailer_user):
    from tests.conftest import set_face

    set_face(settings, "intranet")
    client.force_login(retailer_user)
    response = client.get("/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_there_is_no_sign_up(client, intranet):
    with pytest.raises(NoReverseMatch):
        reverse("account_signup")
    assert client.get("/accounts/signup/").status_code in (302, 404)


def test_issued_password_must_be_changed_at_first_login(client, intranet, employee):
    user_issue_password(user=employee, password="issued-Pass-123")
    login(client, employee, "issued-Pass-123")
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("account_change_password") + "?next=%2F"
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "issued-Pass-123",
            "password1": "my-own-Secret-77",
            "password2": "my-own-Secret-77",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.must_change_password is False
    assert client.get("/").status_code == 200


def test_failed_logins_are_rate_limited(client, intranet, employee, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    client.cookies["portal_language"] = "en"
    for _ in range(3):
        login(client, employee, "wrong-password")
    # Even the right password is refused while the limit holds, with a message saying why.
    response = login(client, employee, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_shift_of_people_behind_one_address_can_all_sign_in(intranet, employee, settings):
    # Production's limits (not the test settings'): allauth's default of 30 sign-ins a minute
    # per address would turn away the 31st employee coming through the factory's proxy.
    from django.core.cache import cache
    from django.test import Client

    from portal.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    for _ in range(40):
        client = Client()
        assert login(client, employee).status_code == 302
        assert "_auth_user_id" in client.session


def _queries_of(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_signed_in_employee_is_read_with_their_directory_entry(client, intranet, employee):
    """One query reads the user with their employee, department and position; the page (whose
    user menu names them) asks for no employee row of its own."""
    client.force_login(employee)
    sql = _queries_of(client, "/")
    user_query = next(query for query in sql if 'FROM "portal_user"' in query)
    assert 'JOIN "portal_employee"' in user_query and 'JOIN "portal_department"' in user_query
    assert not any(query.startswith('SELECT "portal_employee"."id"') for query in sql)
    assert employee.employee.name in client.get("/").content.decode()


def test_a_signed_in_retailer_is_read_with_their_store(client, extranet, retailer_user):
    client.force_login(retailer_user)
    sql = _queries_of(client, "/")
    user_query = next(query for query in sql if 'FROM "portal_user"' in query)
    assert 'JOIN "extranet_retailer"' in user_query
    assert not any(query.startswith('SELECT "extranet_retailer"."id"') for query in sql)
    store = retailer_user.retailer_login.retailer.store_name
    assert store in client.get("/").content.decode()


def test_a_user_without_a_directory_entry_still_signs_in(client, intranet):
    from portal.models import User
    from portal.selectors import employee_of

    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client.force_login(admin)
    assert client.get("/accounts/password/change/").status_code == 200
    from portal.accounts import PortalAuthenticationBackend

    loaded = PortalAuthenticationBackend().get_user(admin.pk)
    assert employee_of(loaded) is None and loaded.display_name == "root"
    admin.is_active = False
    admin.save()
    assert PortalAuthenticationBackend().get_user(admin.pk) is None


NEW_PASSWORD = {
    "oldpassword": "issued-Pass-123",
    "password1": "my-own-Secret-77",
    "password2": "my-own-Secret-77",
}


def test_after_the_forced_change_the_user_goes_on_to_the_page_they_asked_for(
    client, intranet, employee
):
    user_issue_password(user=employee, password="issued-Pass-123")
    login(client, employee, "issued-Pass-123")
    client.cookies["portal_language"] = "en"
    response = client.get("/directory/?q=zhang")
    change_url = response.url
    assert change_url.startswith(reverse("account_change_password") + "?next=")
    form = client.get(change_url).content.decode()
    assert 'name="next" value="/directory/?q=zhang"' in form
    response = client.post(change_url, NEW_PASSWORD, follow=True)
    assert response.redirect_chain == [("/directory/?q=zhang", 302)]
    assert response.status_code == 200
    assert "Password successfully changed." in response.content.decode()


def test_after_a_change_without_a_next_page_the_user_goes_home(client, extranet, retailer_user):
    user_issue_password(user=retailer_user, password="issued-Pass-123")
    login(client, retailer_user, "issued-Pass-123")
    client.cookies["portal_language"] = "en"
    response = client.post(reverse("account_change_password"), NEW_PASSWORD, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200
    assert "Password successfully changed." in response.content.decode()
