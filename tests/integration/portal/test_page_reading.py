"""`portal.page_reading`: the page at an address read in one written-out statement gives the
same page, with the same fields and related rows, as the ORM query `route_page_at` made before
(`pages.filter(slug=…, url_path=<site root's url_path> + path).first()`), on both faces, for a
draft as for a live page; and routing an article no longer builds an ORM query."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page, Site

from bulletins.models import Board
from knowledge.models import ArticlePage
from portal.page_reading import page_at, written_out
from portal.pages import route_page_at
from portal.sites import site_for_face
from tests.factories.knowledge import ArticlePageFactory

pytestmark = pytest.mark.django_db

ARTICLES = ArticlePage.objects.select_related("department", "knowledge_type")


def orm_page_at(pages, face, path):
    site = site_for_face(face)
    root_path = next(r.root_path for r in Site.get_site_root_paths() if r.site_id == site.pk)
    slug = [part for part in path.split("/") if part][-1]
    return pages.filter(slug=slug, url_path=root_path + path).first()


def fields_of(page):
    return {f.attname: getattr(page, f.attname) for f in type(page)._meta.concrete_fields}


def written_page_at(pages, face, path):
    names = written_out(pages)
    assert names is not None
    return page_at(
        pages=pages, names=names, root_page_id=site_for_face(face).root_page_id, path=path
    )


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_an_article_reads_as_the_orm_reads_it(face):
    article = ArticlePageFactory(face=face, slug="drying", review_by=timezone.localdate())
    article.view_count = 7
    article.rejected_at = timezone.now() - timedelta(days=1)
    article.save()
    path = "articles/drying/"
    expected = orm_page_at(ARTICLES, face, path)
    found = written_page_at(ARTICLES, face, path)
    assert type(found) is ArticlePage
    assert fields_of(found) == fields_of(expected)
    assert list(found.body.raw_data) == list(expected.body.raw_data)
    assert found._state.db == expected._state.db and not found._state.adding
    with mock.patch.object(SQLCompiler, "execute_sql", side_effect=AssertionError("a query")):
        assert fields_of(found.department) == fields_of(expected.department)
        assert fields_of(found.knowledge_type) == fields_of(expected.knowledge_type)
        assert found.department.display_name == expected.department.display_name


def test_an_article_of_the_other_face_or_another_address_is_not_found():
    ArticlePageFactory(face="intranet", slug="inside")
    ArticlePageFactory(face="extranet", slug="outside")
    assert written_page_at(ARTICLES, "extranet", "articles/inside/") is None
    assert written_page_at(ARTICLES, "intranet", "articles/outside/") is None
    assert written_page_at(ARTICLES, "intranet", "inside/") is None
    assert written_page_at(ARTICLES, "intranet", "articles/inside/more/") is None
    assert written_page_at(ARTICLES, "intranet", "articles/inside/").slug == "inside"


def test_a_draft_is_read_as_the_orm_reads_it_and_routing_refuses_it():
    ArticlePageFactory(face="intranet", slug="draft", live=False)
    found = written_page_at(ARTICLES, "intranet", "articles/draft/")
    assert fields_of(found) == fields_of(orm_page_at(ARTICLES, "intranet", "articles/draft/"))
    assert found.live is False
    request = RequestFactory().get("/articles/draft/")
    request._wagtail_site = site_for_face("intranet")
    assert route_page_at(request, "articles/draft/", ARTICLES) is None


def test_a_board_reads_as_the_orm_reads_it():
    board = Board.objects.first()
    path = board.url_path.removeprefix(site_for_face("intranet").root_page.url_path)
    expected = orm_page_at(Board.objects.all(), "intranet", path)
    found = written_page_at(Board.objects.all(), "intranet", path)
    assert expected is not None and fields_of(found) == fields_of(expected)


def test_only_querysets_it_can_write_out_are_written_out():
    assert written_out(ARTICLES) == ("department", "knowledge_type")
    assert written_out(Board.objects.all()) == ()
    assert written_out(ArticlePage.objects.filter(live=True)) is None
    assert written_out(ArticlePage.objects.order_by("pk")) is None
    assert written_out(ArticlePage.objects.select_related("department__parent")) is None
    assert written_out(ArticlePage.objects.select_related("owner")) is not None
    assert written_out(ArticlePage.objects.only("title")) is None
    assert written_out(Page.objects.all()) is None  # not a specific model


def test_routing_an_article_builds_no_orm_query():
    article = ArticlePageFactory(face="intranet", slug="drying")
    request = RequestFactory().get("/articles/drying/")
    request._wagtail_site = site_for_face("intranet")
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("ORM query")):
        route = route_page_at(request, "articles/drying/", ARTICLES)
    assert route.page == article


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_a_site_root_reads_as_the_orm_reads_it_and_routes_without_orm_query(face):
    from portal.page_reading import page_with_pk
    from portal.pages import route_site_root

    site = site_for_face(face)
    model = type(site.root_page.specific)
    pages = model.objects.all()
    expected = pages.filter(pk=site.root_page_id).first()
    found = page_with_pk(pages=pages, names=written_out(pages), pk=site.root_page_id)
    assert type(found) is model and fields_of(found) == fields_of(expected)
    assert page_with_pk(pages=pages, names=(), pk=site.root_page_id + 10_000) is None
    request = RequestFactory().get("/")
    request._wagtail_site = site
    route_site_root(request)  # learns the root page's model
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("ORM query")):
        route = route_site_root(request)
    assert route.page == expected
