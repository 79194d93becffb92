"""Browsing by type and department with counts, filters, tags, order and pages; helpful votes
(one per reader and article) and view counts; overdue articles; the editors' report."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from knowledge.listing import articles_browse
from knowledge.models import ArticlePage, HelpfulVote
from tests.conftest import make_role_user
from tests.factories.knowledge import ArticlePageFactory, HelpfulVoteFactory, knowledge_type
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    quality = DepartmentFactory(code="quality", name="质检科")
    storage = DepartmentFactory(code="storage", name="储运科")
    return {
        "a": ArticlePageFactory(
            title="烟叶霉变识别",
            department=quality,
            knowledge_type=knowledge_type("raw-material-quality"),
            tags=["霉变"],
            view_count=5,
            helpful_yes=1,
        ),
        "b": ArticlePageFactory(
            title="仓库温湿度",
            department=storage,
            knowledge_type=knowledge_type("storage"),
            view_count=50,
            helpful_yes=0,
        ),
        "c": ArticlePageFactory(
            title="成品库堆垛",
            department=storage,
            knowledge_type=knowledge_type("storage"),
            tags=["霉变"],
            view_count=1,
            helpful_yes=9,
        ),
        "draft": ArticlePageFactory(
            title="未发布", department=quality, knowledge_type=knowledge_type("storage"), live=False
        ),
    }


def counts(facets):
    return {facet.value: facet.count for facet in facets if facet.count}


def test_browse_counts_by_both_axes_and_skips_drafts(library, employee):
    browse = articles_browse(user=employee, face="intranet")
    assert browse.total == 3
    assert counts(browse.types) == {"raw-material-quality": 1, "storage": 2}
    assert counts(browse.departments) == {"quality": 1, "storage": 2}
    # Every type is listed, also those without articles, so an editor's new type shows up.
    assert len(browse.types) == 6


def test_filter_by_type_narrows_the_department_counts(library, employee):
    browse = articles_browse(user=employee, face="intranet", type_slug="storage")
    assert {a.title for a in browse.page.object_list} == {"仓库温湿度", "成品库堆垛"}
    assert counts(browse.departments) == {"storage": 2}
    browse = articles_browse(user=employee, face="intranet", department_code="quality")
    assert [a.title for a in browse.page.object_list] == ["烟叶霉变识别"]
    assert counts(browse.types) == {"raw-material-quality": 1}


def test_unknown_type_finds_nothing_and_tags_narrow(library, employee):
    assert articles_browse(user=employee, face="intranet", type_slug="nope").total == 0
    tagged = articles_browse(user=employee, face="intranet", tag="霉变")
    assert {a.title for a in tagged.page.object_list} == {"烟叶霉变识别", "成品库堆垛"}


@pytest.mark.parametrize(
    ("sort", "first"),
    [("views", "仓库温湿度"), ("helpful", "成品库堆垛"), ("newest", "成品库堆垛")],
)
def test_sort_orders(library, employee, sort, first):
    browse = articles_browse(user=employee, face="intranet", sort=sort)
    assert browse.page.object_list[0].title == first


def test_browse_page_paginates(employee, client, intranet):
    department = DepartmentFactory()
    for n in range(23):
        ArticlePageFactory(title=f"分页文章{n:02d}", department=department)
    client.force_login(employee)
    first = client.get("/knowledge/").content.decode()
    second = client.get("/knowledge/?page=2").content.decode()
    assert "分页文章22" in first and "分页文章22" not in second
    assert "分页文章00" in second and 'rel="prev"' in second


def test_one_vote_per_user_and_article_in_the_database(employee):
    vote = HelpfulVoteFactory(user=employee)
    with pytest.raises(IntegrityError):
        HelpfulVote.objects.create(article=vote.article, user=employee, helpful=False)


def test_voting_counts_once_and_can_be_changed(employee, client, intranet):
    article = ArticlePageFactory()
    client.force_login(employee)
    url = reverse("knowledge:vote", args=[article.pk])
    for _attempt in range(2):
        response = client.post(url, {"helpful": "yes", "comment": "很实用"})
        assert response.status_code == 302
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 0)
    client.post(url, {"helpful": "no", "comment": "步骤不全"})
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (0, 1)
    assert HelpfulVote.objects.get().comment == "步骤不全"


def test_a_bad_vote_is_refused_without_saving(employee, client, intranet):
    article = ArticlePageFactory()
    client.force_login(employee)
    response = client.post(reverse("knowledge:vote", args=[article.pk]), {"helpful": "maybe"})
    assert response.status_code == 302
    assert not HelpfulVote.objects.exists()


def test_reading_an_article_counts_a_view(employee, client, intranet):
    article = ArticlePageFactory(title="醇化周期", tags=["醇化"])
    client.force_login(employee)
    response = client.get(article.url)
    assert response.status_code == 200
    assert "醇化周期" in response.content.decode()
    client.get(article.url)
    article.refresh_from_db()
    assert article.view_count == 2
    # Counting made no revision.
    assert not article.revisions.exists()


def test_related_articles_are_the_editors_choice_then_the_same_type(employee, client, intranet):
    from knowledge.models import RelatedArticle

    article = ArticlePageFactory(title="主文章", knowledge_type=knowledge_type("storage"))
    chosen = ArticlePageFactory(title="编辑推荐", knowledge_type=knowledge_type("safety"))
    ArticlePageFactory(title="同类文章", knowledge_type=knowledge_type("storage"))
    ArticlePageFactory(title="别类文章", knowledge_type=knowledge_type("safety"))
    RelatedArticle.objects.create(page=article, article=chosen)
    client.force_login(employee)
    related = client.get(article.url).context["related_articles"]
    assert [a.title for a in related] == ["编辑推荐", "同类文章"]


def test_overdue_articles_are_listed_for_their_owner_and_the_editors(client, intranet):
    owner = make_role_user("employee")
    other = make_role_user("employee")
    editor = make_role_user("knowledge_editor")
    past = timezone.localdate() - timedelta(days=3)
    ArticlePageFactory(title="过期文章", owner=owner, review_by=past)
    ArticlePageFactory(title="未过期", owner=owner)
    for user, sees in ((owner, True), (other, False), (editor, True)):
        client.force_login(user)
        page = client.get(reverse("knowledge:overdue")).content.decode()
        assert ("过期文章" in page) is sees
        assert "未过期" not in page
    client.force_login(owner)
    assert "过期文章" in client.get(reverse("knowledge:mine")).content.decode()


def test_editors_report_shows_views_votes_and_comments(client, intranet):
    article = ArticlePageFactory(title="卷接机组保养", view_count=42)
    HelpfulVoteFactory(
        article=article, helpful=False, comment="缺少图片", user=make_role_user("employee")
    )
    ArticlePage.objects.filter(pk=article.pk).update(helpful_no=1)
    client.force_login(make_role_user("employee"))
    assert client.get(reverse("knowledge:report")).status_code == 403
    client.force_login(make_role_user("knowledge_editor"))
    page = client.get(reverse("knowledge:report")).content.decode()
    assert "卷接机组保养" in page and "42" in page and "缺少图片" in page


def test_a_restricted_article_is_listed_only_to_its_groups(employee):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    secret = ArticlePageFactory(title="保密配方")
    ArticlePageFactory(title="公开文章")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    group = Group.objects.create(name="配方组")
    restriction.groups.add(group)
    titles = {a.title for a in articles_browse(user=employee, face="intranet").page.object_list}
    assert titles == {"公开文章"}
    employee.groups.add(group)
    titles = {a.title for a in articles_browse(user=employee, face="intranet").page.object_list}
    assert titles == {"公开文章", "保密配方"}


def test_the_list_reads_only_its_rows_once_types_and_departments_are_cached(
    library, employee, client, intranet, django_assert_max_num_queries
):
    client.force_login(employee)
    client.get("/knowledge/?type=storage&sort=views")  # fills the per-face caches
    with django_assert_max_num_queries(1, exact=False) as captured:
        browse = articles_browse(user=employee, face="intranet", type_slug="storage", sort="views")
    assert len(captured) == 1  # the page of rows; types, counts and departments cached
    assert [f.value for f in browse.departments] == ["storage"]


@pytest.mark.parametrize("renamed", ["type", "department"])
def test_renamed_types_and_departments_show_at_once(library, employee, client, intranet, renamed):
    client.force_login(employee)
    assert "储运科" in client.get("/knowledge/").content.decode()
    changed = knowledge_type("storage") if renamed == "type" else library["b"].department
    changed.name = "新的名字"
    changed.save()
    page = client.get("/knowledge/").content.decode()
    # In the facets (not only in the rows, read afresh anyway).
    assert '新的名字 <span class="count">' in page
