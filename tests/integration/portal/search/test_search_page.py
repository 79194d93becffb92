"""The search page of each face: what it finds, what it shows to whom, and how it copes with
bad input."""

import re

import factory
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from haystack import connections
from wagtail.models import PageViewRestriction, Site

from portal.models import InformationPage
from tests.factories.pages import InformationPageFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    """Messages are checked in the source language; the Chinese catalogue may change."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def search(client, user, **params):
    if user is not None:
        client.force_login(user)
    return client.get("/search/", params)


def results(response):
    """(kind label, title) of each result on the page, in order."""
    html = response.content.decode()
    listing = re.search(r'<ol class="search-results".*?</ol>', html, re.S)
    if listing is None:
        return []
    items = re.findall(
        r'<span class="kind">(.*?)</span>.*?<a href="[^"]*">(.*?)</a>', listing.group(), re.S
    )
    return [(kind, re.sub(r"</?mark>", "", title)) for kind, title in items]


def titles(response):
    return [title for _kind, title in results(response)]


def numbered(prefix):
    return factory.Sequence(lambda n: f"{prefix}{n}")


def restrict(page, restriction_type, groups=(), password=""):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password=password
    )
    restriction.groups.set(groups)
    return restriction


# People


def test_anonymous_is_sent_to_sign_in(client, intranet):
    response = client.get("/search/", {"q": "张伟"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_employee_finds_a_colleague_by_name_with_the_name_marked(
    client, intranet, employee, indexed
):
    with indexed():
        colleague = EmployeeFactory(name="欧阳娜娜", extension="8123")
        EmployeeFactory(name="李娜")
    response = search(client, employee, q="欧阳娜娜")

    assert response.status_code == 200
    html = response.content.decode()
    assert titles(response) == ["欧阳娜娜"]
    assert "<mark>欧阳娜娜</mark>" in html
    assert "8123" in html
    assert colleague.user.email in html
    # The header's search box keeps the query.
    assert re.search(r'<input id="header-q"[^>]*value="欧阳娜娜"', html)


@pytest.mark.parametrize(
    "query", ["ouyang nana", "OuYang NaNa", "ouyangnana", "oynn", "8123", "D123", "ouyang@"]
)
def test_a_colleague_is_found_by_pinyin_initials_extension_and_number(
    client, intranet, employee, indexed, query
):
    with indexed():
        EmployeeFactory(
            name="欧阳娜娜",
            extension="8123",
            employee_number="D123",
            user__email="ouyang@factory.example.com",
        )
    assert titles(search(client, employee, q=query)) == ["欧阳娜娜"]


def test_a_colleague_is_found_by_department_and_position_in_both_languages(
    client, intranet, employee, indexed
):
    department = DepartmentFactory(code="rolling", name="卷包车间", name_en="Rolling Workshop")
    position = PositionFactory(name="检验员", name_en="Inspector")
    with indexed():
        EmployeeFactory(name="欧阳娜娜", department=department, position=position)
    for query in ("卷包车间", "卷包", "rolling workshop", "检验员", "inspector"):
        assert titles(search(client, employee, q=query)) == ["欧阳娜娜"], query


def test_a_deactivated_colleague_is_not_listed(client, intranet, employee, indexed):
    with indexed():
        leaver = EmployeeFactory(name="欧阳娜娜")
    leaver.user.is_active = False
    leaver.user.save()
    # No index update needed: the database decides at query time.
    assert titles(search(client, employee, q="欧阳娜娜")) == []


@pytest.mark.parametrize("query", ["王超", "wangchao", "wc"])
def test_the_search_and_the_directory_find_the_same_colleagues(
    client, intranet, employee, indexed, query
):
    """王超 also finds 王超兰 in both: the search's people part is the directory's search."""
    from portal.directory.selectors import directory_search

    with indexed():
        EmployeeFactory(name="王超", extension="6101")
        EmployeeFactory(name="王超兰", extension="6102")
        EmployeeFactory(name="李超")
    in_directory = [person.name for person in directory_search(user=employee, query=query)]
    assert in_directory == ["王超", "王超兰"]
    assert titles(search(client, employee, q=query)) == in_directory


def test_colleagues_named_by_the_query_lead_and_those_found_otherwise_follow(
    client, intranet, employee, indexed
):
    department = DepartmentFactory(code="boiler", name="锅炉房", name_en="Boiler room")
    with indexed():
        EmployeeFactory(name="王锅炉", department=DepartmentFactory(code="other"))
        EmployeeFactory(name="赵一", department=department)
        InformationPageFactory(title="锅炉房的守则")
    assert titles(search(client, employee, q="锅炉")) == ["王锅炉", "锅炉房的守则", "赵一"]


# Words


def test_chinese_words_find_text_where_they_stand_apart(client, intranet, employee, indexed):
    with indexed():
        InformationPageFactory(title="卷包机", body="<p>每周做一次设备的维护，并记录。</p>")
        InformationPageFactory(title="食堂", body="<p>开饭时间。</p>")
    response = search(client, employee, q="设备维护")
    assert titles(response) == ["卷包机"]
    assert "<mark>设备</mark>的<mark>维护</mark>" in response.content.decode()


def test_english_words_are_found_whatever_their_case(client, intranet, employee, indexed):
    with indexed():
        InformationPageFactory(title="Machines", body="<p>Weekly Maintenance of the line.</p>")
    response = search(client, employee, q="maintenance")
    assert titles(response) == ["Machines"]
    assert "<mark>Maintenance</mark>" in response.content.decode()


def test_page_text_is_escaped_in_titles_and_snippets(client, intranet, employee, indexed):
    with indexed():
        InformationPageFactory(
            title="<script>alert(1)</script>设备", body="<p>&lt;script&gt;设备&lt;/script&gt;</p>"
        )
    html = search(client, employee, q="设备").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


# Who sees what


@pytest.fixture
def canteen_committee(db):
    return Group.objects.create(name="canteen committee")


@pytest.fixture
def restricted_page(indexed, canteen_committee):
    """A page under the intranet home that only the canteen committee may see."""
    with indexed():
        page = InformationPageFactory(title="食堂承包合同", body="<p>食堂承包的价格。</p>")
        InformationPageFactory(title="食堂开饭时间", body="<p>食堂中午十一点半开饭。</p>")
    restrict(page, PageViewRestriction.GROUPS, groups=[canteen_committee])
    return page


def test_a_member_of_the_allowed_group_finds_the_restricted_page(
    client, intranet, restricted_page, canteen_committee
):
    member = EmployeeFactory().user
    member.groups.add(canteen_committee)
    response = search(client, member, q="食堂")
    assert sorted(titles(response)) == ["食堂开饭时间", "食堂承包合同"]


def test_an_employee_outside_the_group_neither_sees_nor_counts_the_restricted_page(
    client, english, intranet, restricted_page, employee
):
    response = search(client, employee, q="食堂")
    html = response.content.decode()
    assert titles(response) == ["食堂开饭时间"]
    assert "承包" not in html
    assert "1 result for" in html
    assert re.search(r"Pages <span class=\"count\">\(1\)</span>", html)

    # Nor on a page of its own.
    assert titles(search(client, employee, q="承包合同")) == []


def test_an_answer_the_index_kept_for_a_member_shows_an_outsider_only_what_they_may_see(
    client, intranet, restricted_page, canteen_committee, employee
):
    member = EmployeeFactory().user
    member.groups.add(canteen_committee)
    assert sorted(titles(search(client, member, q="食堂"))) == ["食堂开饭时间", "食堂承包合同"]

    # The same query again: the index's answer is kept, who may see what is asked afresh.
    assert titles(search(client, employee, q="食堂")) == ["食堂开饭时间"]
    member.groups.remove(canteen_committee)
    assert titles(search(client, member, q="食堂")) == ["食堂开饭时间"]


def test_anonymous_never_reaches_results_of_a_restricted_page(client, intranet, restricted_page):
    response = client.get("/search/", {"q": "承包"})
    assert response.status_code == 302
    assert "承包" not in response.content.decode()


def test_a_superuser_passes_group_restrictions_as_in_wagtail(
    client, intranet, restricted_page, role_users
):
    assert "食堂承包合同" in titles(search(client, role_users["superuser"], q="承包"))


def test_a_restriction_on_an_ancestor_hides_the_pages_below_it(
    client, intranet, employee, indexed, canteen_committee
):
    with indexed():
        section = InformationPageFactory(title="食堂管理")
        InformationPageFactory(title="食堂账目", parent=section)
    restrict(section, PageViewRestriction.GROUPS, groups=[canteen_committee])
    assert titles(search(client, employee, q="食堂")) == []


def test_login_restricted_pages_are_found_by_signed_in_users(client, intranet, employee, indexed):
    with indexed():
        page = InformationPageFactory(title="食堂开饭时间")
    restrict(page, PageViewRestriction.LOGIN)
    assert titles(search(client, employee, q="食堂")) == ["食堂开饭时间"]


def test_password_protected_pages_are_found_by_no_one(client, intranet, role_users, indexed):
    with indexed():
        page = InformationPageFactory(title="食堂开饭时间")
    restrict(page, PageViewRestriction.PASSWORD, password="canteen")
    for key in ("employee", "superuser"):
        assert titles(search(client, role_users[key], q="食堂")) == [], key


def test_a_page_unpublished_since_it_was_indexed_is_not_shown(client, intranet, employee, indexed):
    with indexed():
        page = InformationPageFactory(title="食堂开饭时间")
    # The index still holds it until the worker runs; the database already says no.
    InformationPage.objects.filter(pk=page.pk).update(live=False)
    assert titles(search(client, employee, q="食堂")) == []


def test_an_intranet_page_in_the_extranet_index_is_still_not_shown_there(
    client, extranet, retailer_user, indexed
):
    with indexed():
        page = InformationPageFactory(title="食堂开饭时间", face="intranet")
    # Force it into the wrong index, as a bug might: the extranet's search must not trust it.
    unified = connections["extranet"].get_unified_index()
    connections["extranet"].get_backend().update(unified.get_index(InformationPage), [page])
    assert titles(search(client, retailer_user, q="食堂")) == []


def test_a_retailer_finds_extranet_pages_and_never_people(client, extranet, retailer_user, indexed):
    with indexed():
        EmployeeFactory(name="欧阳娜娜")
        InformationPageFactory(title="订货须知", body="<p>欧阳娜娜负责订货。</p>", face="extranet")
        InformationPageFactory(title="内部订货流程", face="intranet")
    response = search(client, retailer_user, q="订货")
    assert titles(response) == ["订货须知"]
    assert titles(search(client, retailer_user, q="欧阳娜娜")) == ["订货须知"]
    assert 'class="filters"' in response.content.decode()
    assert "people" not in response.content.decode()


# The page itself


def test_the_kind_filter_narrows_results_and_marks_the_current_kind(
    client, english, intranet, employee, indexed
):
    with indexed():
        EmployeeFactory(name="欧阳娜娜")
        InformationPageFactory(title="欧阳娜娜的工作守则")
    response = search(client, employee, q="欧阳娜娜")
    assert sorted(results(response)) == [("Pages", "欧阳娜娜的工作守则"), ("People", "欧阳娜娜")]
    html = response.content.decode()
    assert re.search(r'<a href="\?q=[^"]*"\s+aria-current="true">All</a>', html)

    response = search(client, employee, q="欧阳娜娜", kind="people")
    assert results(response) == [("People", "欧阳娜娜")]
    html = response.content.decode()
    assert re.search(r'kind=people"\s+aria-current="true">People', html)
    assert "1 result for" in html


def test_results_come_twenty_to_a_page(client, english, intranet, employee, indexed):
    with indexed():
        InformationPageFactory.create_batch(25, title=numbered("设备维护"))
    first = search(client, employee, q="设备")
    assert len(results(first)) == 20
    assert "25 results for" in first.content.decode()
    assert 'rel="next"' in first.content.decode()

    second = search(client, employee, q="设备", page=2)
    assert len(results(second)) == 5
    assert not set(titles(first)) & set(titles(second))


@pytest.mark.parametrize(("page", "expected"), [("abc", 20), ("99999", 5), ("-1", 5), ("", 20)])
def test_a_bad_page_number_shows_the_first_or_last_page(
    client, intranet, employee, indexed, page, expected
):
    with indexed():
        InformationPageFactory.create_batch(25, title=numbered("设备维护"))
    response = search(client, employee, q="设备", page=page)
    assert response.status_code == 200
    assert len(results(response)) == expected


def test_an_unknown_kind_shows_all_kinds(client, intranet, employee, indexed):
    with indexed():
        InformationPageFactory(title="设备维护")
    response = search(client, employee, q="设备", kind="<script>")
    assert response.status_code == 200
    assert titles(response) == ["设备维护"]
    assert "<script>" not in response.content.decode()


def test_without_a_query_the_page_asks_for_one(client, english, intranet, employee):
    response = search(client, employee, q="  ")
    assert response.status_code == 200
    assert "Type something to search for" in response.content.decode()
    assert 'class="search-results"' not in response.content.decode()


def test_a_search_without_results_says_so_and_suggests_what_to_try(
    client, english, intranet, employee
):
    response = search(client, employee, q="不存在的东西")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No results for “不存在的东西”" in html
    assert "pinyin" in html


def test_a_very_long_query_is_refused_with_a_clear_message(client, english, intranet, employee):
    response = search(client, employee, q="设备" * 150)
    assert response.status_code == 400
    assert "Your search is too long" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ['"', "'", "*", "?", "(", ")", "[", "{", "AND", "a OR", "NOT", "-", "text:设备", "设备 -维护",
     "\\", "~", "^2", "django_ct:portal.employee", "设备*", '"设备 维护"', "%", "<>", "　"],
)  # fmt: skip
def test_odd_queries_never_fail(client, intranet, employee, indexed, query):
    with indexed():
        InformationPageFactory(title="设备的维护")
    response = search(client, employee, q=query)
    assert response.status_code == 200


def test_a_query_with_a_null_character_is_refused_not_crashed(client, intranet, employee):
    assert search(client, employee, q="设备\x00").status_code == 400


def test_the_search_runs_a_bounded_number_of_queries_whatever_the_number_of_results(
    client, intranet, employee, indexed, django_assert_max_num_queries
):
    client.force_login(employee)

    def queries_for(size):
        with indexed():
            EmployeeFactory.create_batch(size, name="欧阳娜娜")
            InformationPageFactory.create_batch(size, title=numbered("欧阳娜娜的守则"))
        # Once unmeasured: Wagtail's site root paths are cached after the first request.
        client.get("/search/", {"q": "欧阳娜娜"})
        with django_assert_max_num_queries(10) as captured:
            response = client.get("/search/", {"q": "欧阳娜娜"})
        assert response.status_code == 200
        assert len(results(response)) == min(20, 2 * size)
        return len(captured)

    # Session, user, one visibility query per kind, one loading query per kind on the page,
    # and what the layout needs: the same at both sizes, give or take a kind on the page.
    assert abs(queries_for(3) - queries_for(30)) <= 1


def test_only_the_best_matches_are_considered_and_the_page_says_so(
    client, english, intranet, employee, indexed, settings
):
    settings.SEARCH_MAX_CANDIDATES = 3
    with indexed():
        InformationPageFactory.create_batch(5, title=numbered("设备维护"))
    response = search(client, employee, q="设备")
    assert len(results(response)) == 3
    assert "Only the best matches are listed" in response.content.decode()


def test_the_links_of_a_page_of_results_read_the_site_root_paths_once(
    client, intranet, employee, indexed, monkeypatch
):
    with indexed():
        pages = InformationPageFactory.create_batch(5, title=numbered("设备维护"))
    reads = []
    original = Site.get_site_root_paths

    def counted():
        reads.append(1)
        return original()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counted))
    response = search(client, employee, q="设备")
    assert len(reads) == 1

    monkeypatch.undo()
    site = Site.objects.get(site_name="intranet")
    html = response.content.decode()
    assert len(results(response)) == 5
    for page in pages:
        assert f'href="{page.get_url(current_site=site)}"' in html


def test_results_that_fit_on_one_page_are_checked_and_loaded_in_one_query_per_kind(
    client, intranet, employee, indexed
):
    with indexed():
        InformationPageFactory.create_batch(3, title=numbered("设备维护"))
    client.force_login(employee)
    # Once unmeasured: Wagtail's site root paths are cached after the first request.
    client.get("/search/", {"q": "设备"})
    with CaptureQueriesContext(connection) as nothing_found:
        client.get("/search/", {"q": "食堂"})
    with CaptureQueriesContext(connection) as found:
        response = client.get("/search/", {"q": "设备"})

    assert len(results(response)) == 3
    assert len(found) == len(nothing_found) + 1
