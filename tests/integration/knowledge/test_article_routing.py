"""An article's address is found in one query (`knowledge.views.article_page`, through
`portal.pages.route_page_at`) instead of Wagtail's walk down the page tree: the same article,
the same refusals, on each face only its own articles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from portal.sites import site_for_face
from tests.factories.knowledge import ArticlePageFactory
from tests.factories.people import RetailerLoginFactory

pytestmark = pytest.mark.django_db


def page_queries(queries):
    return [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"' in q["sql"]]


def test_an_intranet_article_is_found_in_one_query(client, intranet, employee):
    article = ArticlePageFactory(face="intranet", title="烘丝机清洁规程", slug="drying-clean")
    client.force_login(employee)
    url = article.relative_url(site_for_face("intranet"))
    assert url == "/articles/drying-clean/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"] == article
    assert "烘丝机清洁规程" in response.content.decode()
    assert len(page_queries(queries)) == 1  # Wagtail's walk: five


def test_each_face_serves_only_its_own_articles(client, intranet, extranet, employee):
    inside = ArticlePageFactory(face="intranet", slug="inside")
    outside = ArticlePageFactory(face="extranet", slug="outside")
    retailer = RetailerLoginFactory().user
    from tests.conftest import set_face

    set_face(extranet, "extranet")
    client.force_login(retailer)
    assert client.get("/articles/outside/").context["page"] == outside
    assert client.get("/articles/inside/").status_code == 404
    set_face(extranet, "intranet")
    client.force_login(employee)
    assert client.get("/articles/inside/").context["page"] == inside
    assert client.get("/articles/outside/").status_code == 404


def test_drafts_are_missing_and_view_restrictions_still_hold(client, intranet, employee):
    ArticlePageFactory(face="intranet", slug="draft", live=False)
    private = ArticlePageFactory(face="intranet", slug="private")
    client.force_login(employee)
    assert client.get("/articles/draft/").status_code == 404
    assert "正文" in client.get("/articles/private/").content.decode()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="秘密"
    )
    response = client.get("/articles/private/")
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert "正文" not in response.content.decode()  # the password form, not the article
