"""`knowledge.article_sql`: the article page's vote and view count, written out, read and write
what the ORM's statements did; and the article page compiles no ORM query for them."""

from unittest import mock

import pytest
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler

from knowledge.article_sql import view_count_add, vote_of
from knowledge.models import ArticlePage, HelpfulVote
from tests.factories.knowledge import ArticlePageFactory, HelpfulVoteFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db


def fields_of(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_the_readers_vote_is_the_orms():
    article, other = ArticlePageFactory(), ArticlePageFactory()
    reader, someone = UserFactory(), UserFactory()
    HelpfulVoteFactory(article=article, user=reader, helpful=False, comment="太长")
    HelpfulVoteFactory(article=other, user=someone)
    for a in (article, other):
        for user in (reader, someone):
            expected = HelpfulVote.objects.filter(article=a, user=user).first()
            found = vote_of(article_id=a.pk, user_id=user.pk)
            assert (found and fields_of(found)) == (expected and fields_of(expected))
    found = vote_of(article_id=article.pk, user_id=reader.pk)
    assert found.helpful is False and found.comment == "太长" and not found._state.adding


def test_a_view_adds_one_to_that_article_only():
    article, other = ArticlePageFactory(), ArticlePageFactory()
    ArticlePage.objects.filter(pk=article.pk).update(view_count=F("view_count") + 41)
    revisions = article.revisions.count()
    view_count_add(article_id=article.pk)
    assert ArticlePage.objects.get(pk=article.pk).view_count == 42
    assert ArticlePage.objects.get(pk=other.pk).view_count == 0
    assert article.revisions.count() == revisions


def test_an_article_page_compiles_no_orm_query_of_its_own(client, intranet, employee):
    from django.core.cache import cache

    article = ArticlePageFactory(face="intranet", slug="drying")
    HelpfulVoteFactory(article=article, user=employee, helpful=True)
    client.force_login(employee)
    assert client.get("/articles/drying/").status_code == 200  # fills the caches
    compile_sql = SQLCompiler.as_sql
    compiled = []

    def record(self, *args, **kwargs):
        compiled.append(self.query.model)
        return compile_sql(self, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", record):
        response = client.get("/articles/drying/")
    assert response.status_code == 200
    assert response.context["vote"].helpful is True
    assert ArticlePage.objects.get(pk=article.pk).view_count == 2
    assert not {HelpfulVote, ArticlePage} & set(compiled), compiled
    cache.clear()
