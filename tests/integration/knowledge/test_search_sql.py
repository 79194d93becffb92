"""The knowledge search reads who may see which of the index's candidates, and the fields of a
page of hits, in written-out SQL statements (knowledge.search_sql) when no page anywhere is
restricted, and keeps each article's plain text and each hit's marks per process under the
knowledge base's generation. Its hits, counts and facets are exactly what the ORM's path
(`articles_visible_to`, Wagtail pages, the highlighter on every request) gave, on both faces:
a draft, the other face's article and a restricted article never appear, even when the index
still holds them; and a changed article shows on the next search."""

from collections import Counter

import pytest
from django.utils import translation
from wagtail.models import PageViewRestriction

from knowledge import search_hits
from knowledge.blocks import body_plain_text
from knowledge.listing import hit_items_html
from knowledge.models import ArticlePage, KnowledgeType
from knowledge.search_hits import knowledge_search
from knowledge.search_sql import HIT_FIELDS, hit_rows, visible_among
from knowledge.selectors import articles_visible_to, shared_root_path
from portal.search.highlight import Highlighter
from portal.search.indexes import PageLinks
from tests.conftest import make_role_user, set_face
from tests.factories.knowledge import ArticlePageFactory, knowledge_type
from tests.factories.people import DepartmentFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

QUERY = "烘丝机"
FACE_ROLES = [("intranet", "employee"), ("extranet", "retailer")]


def _body(text):
    return [{"type": "text", "value": f"<p>{text}</p>"}]


@pytest.fixture
def articles():
    """On each face: articles of two departments and three types whose title, summary or body
    holds the query, one with a body long enough to be cut, one without a summary; a draft
    holding the query too. Returned in the order the index is made to answer (below)."""
    storage, safety = knowledge_type("storage"), knowledge_type("safety")
    other = KnowledgeType.objects.exclude(pk__in=[storage.pk, safety.pk]).first()
    first, second = DepartmentFactory(code="ks-one"), DepartmentFactory(code="ks-two")
    made = []
    for face in ("intranet", "extranet"):
        for n in range(7):
            made.append(
                ArticlePageFactory(
                    face=face,
                    title=f"{face}{QUERY}文章{n}" if n % 2 else f"{face}文章<{n}>",
                    department=first if n % 3 else second,
                    knowledge_type=(storage, safety, other)[n % 3],
                    summary="" if n == 3 else f"摘要{n}：{QUERY}的保养",
                    body=_body(("很长的正文。" * 40 if n == 4 else "正文&") + f"{QUERY}温度控制"),
                )
            )
        made.append(
            ArticlePageFactory(face=face, title=f"{face}{QUERY}草稿", live=False, department=first)
        )
    return made


@pytest.fixture
def index_answers(monkeypatch):
    """The index's answer made to be every article, drafts and both faces' included (an index
    updated in the background may still hold what was unpublished or moved)."""
    answer = {}

    def candidates(*, face, query, type_filter, department_filter, limit):
        found = [
            pk
            for pk, type_id, department_id in ArticlePage.objects.order_by("-pk").values_list(
                "pk", "knowledge_type_id", "department_id"
            )
            if type_filter in (None, type_id) and department_filter in (None, department_id)
        ]
        answer["ids"] = found
        return found[:limit], len(found) > limit

    monkeypatch.setattr(search_hits, "_search_candidates", candidates)
    return answer


def orm_search(*, user, face, ids, query=QUERY, page_number=1, per_page=20):
    """What `knowledge_search` gave before (the ORM's visibility, Wagtail pages, the
    highlighter and `get_url` on every request): the total, the counts, and each hit as
    (fields, marked title, snippet, URL)."""
    visible = {
        pk: (type_id, department_id)
        for pk, type_id, department_id in articles_visible_to(
            user=user, face=face, queryset=ArticlePage.objects.filter(pk__in=ids)
        ).values_list("pk", "knowledge_type_id", "department_id")
    }
    seen = [pk for pk in ids if pk in visible]
    shown = seen[(page_number - 1) * per_page : page_number * per_page]
    pages = ArticlePage.objects.filter(pk__in=shown).select_related("department", "knowledge_type")
    loaded = {page.pk: page for page in pages}
    highlighter = Highlighter(query)
    links = PageLinks(face)
    hits = []
    for pk in shown:
        page = loaded[pk]
        text = " ".join(part for part in (page.summary, body_plain_text(page.body)) if part)
        hits.append(
            (
                (
                    page.pk,
                    page.title,
                    page.url_path,
                    page.summary,
                    page.first_published_at,
                    page.view_count,
                    page.helpful_yes,
                    page.department.name,
                    page.department.name_en,
                    page.knowledge_type.name,
                    page.knowledge_type.name_en,
                ),
                str(highlighter.mark(page.title)),
                str(highlighter.snippet(text)),
                page.get_url(current_site=links.site),
            )
        )
    return {
        "total": len(seen),
        "types": Counter(visible[pk][0] for pk in seen),
        "departments": Counter(visible[pk][1] for pk in seen),
        "hits": hits,
    }


def new_search(*, user, face, query=QUERY, page_number=1, per_page=20):
    outcome = knowledge_search(
        user=user, face=face, query=query, page_number=page_number, per_page=per_page
    )
    types = {t.value: t.count for t in outcome.types}
    return {
        "total": outcome.total,
        "types": Counter(
            {t.pk: types[t.slug] for t in KnowledgeType.objects.all() if types.get(t.slug)}
        ),
        "departments": Counter(
            {
                d.pk: f.count
                for f in outcome.departments
                for d in [DepartmentFactory._meta.model.objects.get(code=f.value)]
            }
        ),
        "hits": [
            (tuple(hit.article), str(hit.title), str(hit.snippet), hit.url) for hit in outcome.hits
        ],
    }


def _restrict(page):
    """A view restriction to a group nobody here is in."""
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    PageViewRestriction.objects.filter(pk=restriction.pk).update(
        restriction_type=PageViewRestriction.GROUPS
    )


@pytest.mark.parametrize(("face", "role"), FACE_ROLES)
def test_visible_among_is_the_selectors_answer(articles, face, role):
    user = make_role_user(role)
    ids = list(ArticlePage.objects.values_list("pk", flat=True))
    expected = {
        pk: (type_id, department_id)
        for pk, type_id, department_id in articles_visible_to(
            user=user, face=face, queryset=ArticlePage.objects.filter(pk__in=ids)
        ).values_list("pk", "knowledge_type_id", "department_id")
    }
    found = visible_among(root_path=shared_root_path(face), ids=ids)
    assert found == expected
    titles = set(ArticlePage.objects.filter(pk__in=found).values_list("title", flat=True))
    assert len(titles) == 7 and all(title.startswith(face) for title in titles)
    assert not any("草稿" in title for title in titles)
    assert visible_among(root_path="", ids=ids) == {}
    assert visible_among(root_path=shared_root_path(face), ids=[]) == {}


def test_hit_rows_are_the_orms_fields(articles):
    ids = [article.pk for article in articles]
    expected = {row[0]: row for row in ArticlePage.objects.values_list(*HIT_FIELDS)}
    assert {pk: tuple(row) for pk, row in hit_rows(ids).items()} == expected
    assert hit_rows([]) == {}


@pytest.mark.parametrize(("face", "role"), FACE_ROLES)
@pytest.mark.parametrize("page_number", [1, 2])
def test_search_is_the_orm_paths(articles, index_answers, settings, face, role, page_number):
    set_face(settings, face)
    user = make_role_user(role)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            found = new_search(user=user, face=face, page_number=page_number, per_page=4)
            again = new_search(user=user, face=face, page_number=page_number, per_page=4)
            expected = orm_search(
                user=user, face=face, ids=index_answers["ids"], page_number=page_number, per_page=4
            )
            assert found == expected == again
    assert found["total"] == 7 and len(found["hits"]) == (4 if page_number == 1 else 3)
    assert all(hit[0][1].startswith(face) for hit in found["hits"])
    assert any("<mark>" in hit[1] for hit in found["hits"])
    assert any("…" in hit[2] for hit in found["hits"]) or page_number == 2


def test_a_retailer_never_finds_intranet_articles_nor_an_employee_extranet_ones(
    articles, index_answers, settings
):
    set_face(settings, "extranet")
    retailer = make_role_user("retailer")
    outcome = knowledge_search(user=retailer, face="extranet", query=QUERY)
    assert outcome.total == 7
    assert all(hit.article.title.startswith("extranet") for hit in outcome.hits)
    extranet_types = set(
        ArticlePage.objects.filter(title__startswith="extranet", live=True).values_list(
            "knowledge_type__slug", flat=True
        )
    )
    assert {t.value for t in outcome.types} <= extranet_types
    assert sum(f.count for f in outcome.departments) == 7
    assert knowledge_search(user=retailer, face="intranet", query=QUERY).total == 0
    set_face(settings, "intranet")
    employee = make_role_user("employee")
    assert knowledge_search(user=employee, face="extranet", query=QUERY).total == 0
    inside = knowledge_search(user=employee, face="intranet", query=QUERY)
    assert inside.total == 7
    assert all(hit.article.title.startswith("intranet") for hit in inside.hits)


@pytest.mark.parametrize(("face", "role"), FACE_ROLES)
def test_a_restricted_tree_finds_by_the_orms_rule(articles, index_answers, settings, face, role):
    set_face(settings, face)
    hidden = next(a for a in articles if a.title.startswith(face) and a.live)
    _restrict(hidden)
    user = make_role_user(role)
    assert shared_root_path(face) is None
    with translation.override("en"):
        found = new_search(user=user, face=face, per_page=50)
        assert found == orm_search(user=user, face=face, ids=index_answers["ids"], per_page=50)
    assert found["total"] == 6
    assert hidden.pk not in {hit[0][0] for hit in found["hits"]}
    assert sum(found["departments"].values()) == sum(found["types"].values()) == 6


def test_a_changed_article_shows_on_the_next_search(articles, index_answers, settings):
    """The kept plain text and marks are of a generation: a published change renews it; a new
    view count (no new generation) is read from the database each time."""
    set_face(settings, "intranet")
    employee = make_role_user("employee")
    article = next(a for a in articles if a.title == f"intranet{QUERY}文章1")

    def snippet_of(pk):
        outcome = knowledge_search(user=employee, face="intranet", query=QUERY, per_page=50)
        hit = next(hit for hit in outcome.hits if hit.article.pk == pk)
        with translation.override("en"):
            item = hit_items_html([hit], face="intranet", setting=outcome.item_setting)
        return str(hit.snippet), str(item)

    before, _item = snippet_of(article.pk)
    assert "正文&amp;" in before
    page = ArticlePage.objects.get(pk=article.pk)
    page.body = _body(f"改过的正文，{QUERY}的新方法。")
    page.save_revision().publish()
    after, _item = snippet_of(article.pk)
    assert "改过的正文" in after and "正文&amp;" not in after
    ArticlePage.objects.filter(pk=article.pk).update(view_count=4321)
    assert "4321 views" in snippet_of(article.pk)[1]
    page.unpublish()
    outcome = knowledge_search(user=employee, face="intranet", query=QUERY, per_page=50)
    assert article.pk not in {hit.article.pk for hit in outcome.hits} and outcome.total == 6


def _grow(face, size):
    department = DepartmentFactory(code=f"grow-{face}-{size}")
    for n in range(size):
        ArticlePageFactory(face=face, title=f"{face}{QUERY}{size}-{n}", department=department)


@pytest.mark.parametrize(("face", "role"), FACE_ROLES)
@pytest.mark.parametrize("restricted", [False, True])
def test_search_queries_do_not_grow_with_the_hits(
    index_answers, client, settings, face, role, restricted
):
    """The search page asks the same number of queries with 3 and with 45 hits (more than a
    page), whether the kept texts are there or not, restricted tree or not."""
    set_face(settings, face)
    client.force_login(make_role_user(role))
    if restricted:
        _restrict(ArticlePageFactory(face=face, title="别处的限制页"))
    url = ("/shop/knowledge/search/" if face == "extranet" else "/knowledge/search/") + "?q=x"
    counts = {}
    for size in (3, 45):
        _grow(face, size)
        client.get(url)
        counts[size] = count_queries(client, url)
        search_hits._PLAIN_TEXTS.clear()
        search_hits._MARKED.clear()
        counts[(size, "cold")] = count_queries(client, url)
    assert counts[3] == counts[45] and counts[(3, "cold")] == counts[(45, "cold")], counts
    assert counts[(45, "cold")] == counts[45] + 1, counts  # the bodies not kept yet
    if not restricted:
        assert counts[45] <= 4, counts
