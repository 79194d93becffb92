"""Refusals and missing pages answer in the face's own layout, in the user's language, with a
way back; a server error answers with a page that stands on its own."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.conftest import make_role_user

pytestmark = pytest.mark.django_db
ENGLISH = {"accept-language": "en"}


def test_a_forbidden_page_has_the_intranet_layout_and_a_way_home(client, intranet):
    client.force_login(make_role_user("employee"))
    response = client.get("/sales/orders/", headers=ENGLISH)
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may not open this page" in page
    assert 'class="site-header"' in page and 'href="/"' in page
    assert "403 Forbidden" not in page


def test_a_missing_page_has_the_face_layout_on_both_faces(client, settings):
    from tests.conftest import set_face

    for face, user in (("intranet", "employee"), ("extranet", "retailer")):
        set_face(settings, face)
        client.force_login(make_role_user(user))
        response = client.get("/no/such/page/", headers=ENGLISH)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Page not found" in page and f"face-{face}" in page


def test_a_bad_request_has_the_face_layout_on_both_faces(client, settings):
    from tests.conftest import set_face

    # More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django refuses the request as suspicious.
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    too_many = {f"field{number}": "x" for number in range(20)}
    for face, user in (("intranet", "employee"), ("extranet", "retailer")):
        set_face(settings, face)
        client.force_login(make_role_user(user))
        response = client.get("/search/", too_many, headers=ENGLISH)
        assert response.status_code == 400
        page = response.content.decode()
        assert "The request could not be read" in page
        assert f"face-{face}" in page and 'class="site-header"' in page and 'href="/"' in page
        assert "Bad Request (400)" not in page
    response = client.get("/search/", too_many, headers={"accept-language": "zh-hans"})
    assert "无法识别此请求" in response.content.decode()


def test_error_pages_read_in_chinese(client, intranet):
    client.force_login(make_role_user("employee"))
    page = client.get("/no/such/page/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "找不到" in page


def test_the_server_error_page_stands_on_its_own():
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "portal.css" in page and 'href="/"' in page and "出错" in page


def test_the_admin_refuses_an_employee_without_admin_access_instead_of_looping(client, intranet):
    client.force_login(make_role_user("employee"))
    response = client.get("/admin/", follow=True, headers=ENGLISH)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
    assert "You may not open this page" in response.content.decode()
    # Someone not signed in is still sent to sign in first.
    client.logout()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
