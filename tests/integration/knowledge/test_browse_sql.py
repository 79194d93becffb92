"""A browse's page of articles, read in one written-out SQL statement (knowledge.browse_sql)
when every reader of the face sees the same articles, lists exactly the rows the ORM's query
(`articles_visible_to` narrowed as `articles_browse` narrows it) lists, in the same order, on
both faces, under every filter and order; and a restricted tree keeps the ORM's query."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from knowledge.browse_sql import ArticleRows
from knowledge.listing import SORTS, _listed, article_items_html, articles_browse
from knowledge.models import ArticlePage, KnowledgeType
from knowledge.selectors import articles_visible_to, shared_root_path
from tests.conftest import make_role_user
from tests.factories.knowledge import ArticlePageFactory, knowledge_index, knowledge_type
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    """Articles of two departments and three types on each face, with ties in every order
    (same time, same counts), one without a publication time, tags, and a draft."""
    storage, safety = knowledge_type("storage"), knowledge_type("safety")
    other = KnowledgeType.objects.exclude(pk__in=[storage.pk, safety.pk]).first()
    first, second = DepartmentFactory(code="kb-one"), DepartmentFactory(code="kb-two")
    at = timezone.now() - timedelta(days=3)
    made = []
    for face in ("intranet", "extranet"):
        for n in range(14):
            article = ArticlePageFactory(
                face=face,
                title=f"{face}文章{n}",
                department=first if n % 3 else second,
                knowledge_type=(storage, safety, other)[n % 3],
                summary="" if n % 4 == 0 else f"摘要{n}",
                tags=["烘丝机"] if n % 2 else ["保养", "烘丝机"] if n % 5 == 0 else [],
            )
            ArticlePage.objects.filter(pk=article.pk).update(
                first_published_at=at + timedelta(hours=n // 2),
                view_count=n % 4,
                helpful_yes=n % 3,
            )
            made.append(article)
        ArticlePage.objects.filter(pk=made[-1].pk).update(first_published_at=None)
        ArticlePageFactory(face=face, title="草稿", live=False, department=first)
    return made


def orm_rows(*, user, face, type_slug="", department_code="", tag="", sort="newest"):
    """The rows of a browse as `articles_browse` read them with the ORM."""
    visible = articles_visible_to(user=user, face=face)
    if tag:
        visible = visible.filter(tags__name=tag)
    if department_code:
        visible = visible.filter(department__code=department_code)
    if type_slug:
        visible = visible.filter(knowledge_type__slug=type_slug)
    return [tuple(row) for row in _listed(visible).order_by(*SORTS[sort])]


def sql_rows(*, face, type_slug="", department_code="", tag="", sort="newest", per_page=5):
    type_id = KnowledgeType.objects.get(slug=type_slug).pk if type_slug else None
    department_id = (
        ArticlePage.objects.filter(department__code=department_code)
        .values_list("department_id", flat=True)
        .first()
        if department_code
        else None
    )
    rows = ArticleRows(
        root_path=shared_root_path(face),
        total=10_000,
        sort=sort,
        type_id=type_id,
        department_id=department_id,
        tag=tag,
    )
    found, offset = [], 0
    while True:
        page = rows[offset : offset + per_page]
        found += [tuple(row) for row in page]
        if len(page) < per_page:
            return found
        offset += per_page


CASES = (
    {},
    {"type_slug": "storage"},
    {"department_code": "kb-two"},
    {"tag": "烘丝机"},
    {"tag": "保养", "type_slug": "storage"},
    {"type_slug": "safety", "department_code": "kb-one", "tag": "烘丝机"},
    {"tag": "没有的标签"},
)


@pytest.mark.parametrize(("face", "role"), [("intranet", "employee"), ("extranet", "retailer")])
@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("case", CASES)
def test_written_out_rows_are_the_orms(articles, face, role, sort, case):
    user = make_role_user(role)
    expected = orm_rows(user=user, face=face, sort=sort, **case)
    assert sql_rows(face=face, sort=sort, **case) == expected
    if not case.get("tag") == "没有的标签":
        assert expected


@pytest.mark.parametrize(("face", "role"), [("intranet", "employee"), ("extranet", "retailer")])
@pytest.mark.parametrize("sort", sorted(SORTS))
def test_browse_pages_are_the_orms_pages(articles, face, role, sort):
    user = make_role_user(role)
    expected = orm_rows(user=user, face=face, sort=sort, type_slug="storage")
    shown = []
    for number in (1, 2, 3):
        browse = articles_browse(
            user=user, face=face, type_slug="storage", sort=sort, page_number=number, per_page=2
        )
        assert browse.total == len(expected)
        shown += [tuple(row) for row in browse.articles]
    assert shown == expected[:6]


def test_retailers_never_list_intranet_articles_nor_employees_extranet_ones(articles):
    retailer, employee = make_role_user("retailer"), make_role_user("employee")
    extranet_titles = {row[0] for row in articles_browse(user=retailer, face="extranet").articles}
    intranet_titles = {row[0] for row in articles_browse(user=employee, face="intranet").articles}
    assert extranet_titles and all(title.startswith("extranet") for title in extranet_titles)
    assert intranet_titles and all(title.startswith("intranet") for title in intranet_titles)
    assert not articles_browse(user=retailer, face="intranet").articles
    assert not articles_browse(user=employee, face="extranet").articles


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_a_restricted_tree_lists_by_the_orms_rule(articles, sort):
    """With a view restriction anywhere, the list is the ORM's (who may see what then
    depends on the reader); the restricted article is not listed to who may not see it."""
    hidden = articles[2]
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    ).groups.clear()
    PageViewRestriction.objects.filter(page=hidden).update(
        restriction_type=PageViewRestriction.GROUPS
    )
    employee = make_role_user("employee")
    assert shared_root_path("intranet") is None
    browse = articles_browse(user=employee, face="intranet", sort=sort, per_page=50)
    listed = [tuple(row) for row in browse.articles]
    assert listed == orm_rows(user=employee, face="intranet", sort=sort)
    assert hidden.title not in {row[0] for row in listed}
    assert knowledge_index("intranet").get_children().count() > len(listed)


def test_kept_items_follow_a_changed_count_title_and_language(articles):
    """An item's HTML is kept under all it depends on: a new view count or title, or the
    other language, is shown at once."""
    employee = make_role_user("employee")

    def items(language):
        with translation.override(language):
            browse = articles_browse(user=employee, face="intranet", per_page=50)
            return str(article_items_html(browse.articles, face="intranet"))

    first = articles[0]
    before = items("en")
    assert items("en") == before
    ArticlePage.objects.filter(pk=first.pk).update(view_count=987, title="改过的标题")
    after = items("en")
    assert "987 views" in after and "改过的标题" in after
    assert "987 views" not in before
    assert "987 次浏览" in items("zh-hans")


def test_only_a_tree_path_is_written_into_the_statement():
    """The knowledge base's path is written into the statement only when it is a tree path
    (digits and capital letters); anything else stays a parameter."""
    written = ArticleRows(root_path="000100030002", total=1, sort="newest")
    assert "LIKE '000100030002%%'" in written.sql and written.params == []
    odd = ArticleRows(root_path="0001'; DROP TABLE x; --", total=1, sort="views", type_id=3)
    assert "DROP" not in odd.sql and odd.params == ["0001'; DROP TABLE x; --%", 3]


@pytest.mark.postgres
def test_a_browse_is_planned_once_per_connection_not_for_each_page(articles):
    """Prepared (the settings prepare a statement run five times), a browse's statement is
    planned once for any value: the page's rows cost no planning once the plan is made."""
    from django.db import connection

    user = make_role_user("employee")
    for _ in range(12):
        articles_browse(user=user, face="intranet", page_number=1, per_page=5)
        articles_browse(user=user, face="intranet", type_slug="storage", page_number=1, per_page=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%ORDER BY p.first_published_at DESC, a.page_ptr_id DESC LIMIT 5 OFFSET 0"],
        )
        plans = cursor.fetchall()
    assert len(plans) == 2, plans
    assert all(generic > 0 for generic, _custom in plans), plans
