"""Both faces have an icon: the pages link it, and /favicon.ico (which browsers ask for
whatever the page says) leads to it for anyone, signed in or not."""

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from tests.conftest import make_role_user, set_face

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("face", "role"), [("intranet", "employee"), ("extranet", "retailer")])
def test_favicon_ico_leads_to_the_static_icon_for_anyone(client, settings, face, role):
    set_face(settings, face)
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/portal/favicon.ico"
    with Image.open(finders.find("portal/favicon.ico")) as icon:
        assert icon.format == "ICO"
    client.force_login(make_role_user(role))
    assert client.get("/favicon.ico")["Location"] == "/static/portal/favicon.ico"


@pytest.mark.parametrize(("face", "role"), [("intranet", "employee"), ("extranet", "retailer")])
def test_every_page_links_the_icon_and_the_policy_allows_it(client, settings, face, role):
    set_face(settings, face)
    for user in (None, make_role_user(role)):
        if user is not None:
            client.force_login(user)
        response = client.get("/" if user else "/accounts/login/")
        assert response.status_code == 200
        assert '<link rel="icon" href="/static/portal/favicon.ico"' in response.content.decode()
        img_src = next(
            part
            for part in response["Content-Security-Policy"].split(";")
            if part.strip().startswith("img-src")
        )
        assert "'self'" in img_src


def test_a_user_who_must_change_the_password_still_gets_the_icon(client, intranet, employee):
    employee.must_change_password = True
    employee.save()
    client.force_login(employee)
    assert client.get("/favicon.ico")["Location"] == "/static/portal/favicon.ico"
