"""The header of every page is rendered once per face, language and kind of user and kept
(portal/templatetags/layout.py); the request's own values are put in afterwards. It must read
exactly as the header template rendered with this request's values would, carry this user's
name and nobody else's, escape what users typed, and keep a CSRF token that the forms accept."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.modules import MODULES_BY_FACE
from portal.templatetags import layout
from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.factories.people import EmployeeFactory, RetailerLoginFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def header_of(html):
    start = html.index('<header class="site-header">')
    return html[start : html.index("</header>", start) + len("</header>")]


def rendered_afresh(response, face):
    """The header template rendered directly with the values this response's page had."""
    # The page's own context: the test client also records the header's (with its markers).
    context = response.context[0]
    request = context["request"]
    user = context["user"]
    cart_count = context.get("cart_count") if face == "extranet" else None
    values = {
        "face": face,
        "user": user,
        "nav_modules": MODULES_BY_FACE[face],
        "active_module": context.get("active_module"),
        "may_administer": context.get("may_administer"),
        "search_query": context.get("search_query"),
        "csrf_token": str(context["csrf_token"]),
        "request": request,
        "cart_count": cart_count,
        "on_cart_page": cart_count is not None and request.resolver_match.view_name == "shop:cart",
    }
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return render_to_string("includes/site_header.html", values)


def same_header(response, face):
    page = TOKEN.sub(r'\1"', header_of(response.content.decode()))
    assert layout._MARK not in response.content.decode()
    return page == TOKEN.sub(r'\1"', rendered_afresh(response, face))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/accounts/login/"),
        ("employee", "/forum/"),
        ("employee", "/search/?q=%E5%AE%89%E5%85%A8"),
        ("knowledge_editor", "/knowledge/"),
        ("superuser", "/directory/"),
    ],
)
def test_the_intranet_header_reads_as_its_template_rendered_afresh(
    client, intranet, settings, role, url, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    user = make_role_user(role)
    if user is not None:
        client.force_login(user)
    for _visit in range(2):  # the first renders and keeps the header, the second reuses it
        response = client.get(url)
        assert response.status_code == 200
        assert same_header(response, "intranet")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_extranet_header_reads_as_its_template_rendered_afresh(
    client, extranet, settings, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory(grade=8))
    client.force_login(login.user)
    for url in ["/", "/shop/cart/", "/shop/products/"]:
        assert same_header(client.get(url), "extranet")
    client.post(reverse("shop:cart_add"), {"product": ProductFactory(stock=50).pk, "quantity": 2})
    for url in ["/shop/cart/", "/shop/cart/", "/shop/orders/"]:
        response = client.get(url)
        assert same_header(response, "extranet")
    assert 'href="/shop/cart/" aria-current="page"' in header_of(
        client.get("/shop/cart/").content.decode()
    )
    orders = header_of(client.get("/shop/orders/").content.decode())
    assert 'href="/shop/cart/" aria-current' not in orders
    assert 'href="/shop/orders/" aria-current="page"' in orders


def test_each_user_sees_their_own_name_escaped_and_nobody_elses(client, intranet):
    first = EmployeeFactory(name='<b>"甲&乙"</b>')
    second = EmployeeFactory(name="王芳")
    client.force_login(first.user)
    html = client.get("/forum/").content.decode()
    assert "&lt;b&gt;&quot;甲&amp;乙&quot;&lt;/b&gt;" in header_of(html)
    assert '<b>"甲' not in html
    client.force_login(second.user)
    html = header_of(client.get("/forum/").content.decode())
    assert "<summary>王芳</summary>" in html
    assert "甲" not in html


def test_the_path_and_query_are_escaped(client, intranet, employee):
    client.force_login(employee)
    html = client.get('/search/?q="><script>x</script>').content.decode()
    header = header_of(html)
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in header
    assert 'name="next" type="hidden" value="/search/?q=%22%3E%3Cscript%3Ex%3C/script%3E"' in header
    assert "<script>x" not in html


def test_the_headers_csrf_token_is_accepted(intranet, employee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    client.get("/forum/")  # keeps the anonymous-free header of this kind of page
    header = header_of(client.get("/forum/").content.decode())
    token = TOKEN.search(header).group(0).split('value="')[1].rstrip('"')
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "<summary>" in client.get("/forum/").content.decode()
    signed_out = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    assert client.get("/forum/").status_code == 302  # signed out: sent to sign in


def test_a_page_writing_its_own_forms_masks_one_token_for_them_and_the_header(extranet):
    """The cart writes its forms in Python (`portal.csrf_token.page_csrf_token`): the header's
    language form gets the same masked token, which both kinds of form accept."""
    from unittest import mock

    from django.middleware import csrf
    from django.test import Client

    from portal import csrf_token

    client = Client(enforce_csrf_checks=True)
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory(grade=8))
    client.force_login(login.user)
    client.get("/shop/products/")  # the CSRF cookie
    with (
        mock.patch.object(csrf_token, "mask_secret", wraps=csrf_token.mask_secret) as mask,
        mock.patch.object(csrf, "_mask_cipher_secret") as djangos,
    ):
        html = client.get("/shop/cart/").content.decode()
    assert mask.call_count == 1 and djangos.call_count == 0
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html))
    assert len(tokens) == 1 and len(re.findall("csrfmiddlewaretoken", html)) >= 2
    token = tokens.pop()
    emptied = client.post("/shop/cart/", {"csrfmiddlewaretoken": token})
    assert emptied.status_code == 302
    switched = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_a_template_pages_forms_and_header_share_one_accepted_token(intranet, employee):
    """A page whose forms are in its template: `{% csrf_token %}` and the header both take the
    token of `portal.context_processors.csrf`, masked once, which Django's check accepts."""
    from unittest import mock

    from django.middleware import csrf
    from django.test import Client

    from portal import csrf_token

    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    client.get("/forum/")  # the CSRF cookie
    with (
        mock.patch.object(csrf_token, "mask_secret", wraps=csrf_token.mask_secret) as mask,
        mock.patch.object(csrf, "_mask_cipher_secret") as djangos,
    ):
        html = client.get(reverse("account_change_password")).content.decode()
    assert mask.call_count == 1 and djangos.call_count == 0
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html))
    assert len(tokens) == 1 and len(re.findall("csrfmiddlewaretoken", html)) >= 2
    token = tokens.pop()
    refused = client.post(reverse("account_change_password"), {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    answered = client.post(reverse("account_change_password"), {"csrfmiddlewaretoken": token})
    assert answered.status_code == 200  # the form again, with its errors: the token passed
