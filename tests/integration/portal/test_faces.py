"""The two faces: each serves its own page tree and layout, in Chinese or English."""

import pytest
from wagtail.models import Site

from extranet.models import ExtranetHomePage
from portal.models import InformationPage, IntranetHomePage

pytestmark = pytest.mark.django_db


def add_page(parent_model, title, slug):
    parent = parent_model.objects.get()
    return parent.add_child(instance=InformationPage(title=title, slug=slug, body="<p>x</p>"))


def test_both_sites_exist_after_migrate():
    sites = {site.site_name: site for site in Site.objects.select_related("root_page")}
    assert isinstance(sites["intranet"].root_page.specific, IntranetHomePage)
    assert isinstance(sites["extranet"].root_page.specific, ExtranetHomePage)
    assert sites["intranet"].is_default_site


def test_intranet_home_shows_the_employee_and_the_modules(client, intranet, employee):
    client.force_login(employee)
    response = client.get("/")
    html = response.content.decode()
    assert response.templates[0].name == "portal/intranet_home_page.html"
    assert employee.employee.name in html
    assert 'href="/forum/"' in html and 'href="/documents/"' in html
    assert "face-intranet" in html


def test_extranet_home_shows_the_store_and_only_extranet_modules(client, extranet, retailer_user):
    client.force_login(retailer_user)
    html = client.get("/").content.decode()
    assert retailer_user.retailer_login.retailer.store_name in html
    assert 'href="/shop/orders/"' in html
    assert "/forum/" not in html and "/admin/" not in html and "/documents/" not in html


def test_an_extranet_page_is_not_served_on_the_intranet(client, settings, employee):
    from tests.conftest import set_face

    add_page(ExtranetHomePage, "Ordering guide", "ordering-guide")
    add_page(IntranetHomePage, "Canteen hours", "canteen")
    set_face(settings, "intranet")
    client.force_login(employee)
    assert client.get("/canteen/").status_code == 200
    assert client.get("/ordering-guide/").status_code == 404


def test_an_intranet_page_is_not_served_on_the_extranet(client, settings, retailer_user):
    from tests.conftest import set_face

    add_page(IntranetHomePage, "Canteen hours", "canteen")
    set_face(settings, "extranet")
    client.force_login(retailer_user)
    assert client.get("/canteen/").status_code == 404


@pytest.mark.parametrize(
    ("language", "lang_attribute", "heading"),
    [
        ("en", "en", "Sign in"),
        ("zh-hans", "zh-hans", "登录"),
    ],
)
def test_language_switch(client, intranet, language, lang_attribute, heading):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert f'<html lang="{lang_attribute}">' in html
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize(("role", "shown"), [("employee", False), ("knowledge_editor", True)])
def test_the_administration_link_is_shown_to_admin_roles_only(client, intranet, role, shown):
    from tests.conftest import make_role_user

    client.force_login(make_role_user(role))
    assert ('href="/admin/"' in client.get("/forum/").content.decode()) is shown


def test_a_view_restriction_set_in_the_admin_still_guards_its_pages(client, intranet, employee):
    """Pages skip Wagtail's restriction lookups while no page has a restriction; adding one
    (after a page view has cached "none") must take effect at once, for the page and below."""
    from unittest import mock

    from django.db import connection
    from django.db.models.sql.compiler import SQLCompiler
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    parent = add_page(IntranetHomePage, "规章", "rules")
    parent.add_child(instance=InformationPage(title="细则", slug="detail", body="<p>细则正文</p>"))
    client.force_login(employee)
    client.get("/rules/detail/")  # caches "no restriction anywhere"
    compiled = []
    real_compile = SQLCompiler.as_sql

    def as_sql(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return real_compile(compiler, *args, **kwargs)

    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(SQLCompiler, "as_sql", as_sql),
    ):
        assert "细则正文" in client.get("/rules/detail/").content.decode()
    assert not any("pageviewrestriction" in query["sql"] for query in queries.captured_queries)
    assert PageViewRestriction not in compiled  # not even an empty query is built

    restriction = PageViewRestriction.objects.create(
        page=parent, restriction_type=PageViewRestriction.PASSWORD, password="秘密"
    )
    response = client.get("/rules/detail/")
    assert "细则正文" not in response.content.decode()
    assert 'name="password"' in response.content.decode()

    restriction.delete()
    assert "细则正文" in client.get("/rules/detail/").content.decode()
