"""Finding a colleague as people do in a Chinese factory: characters, pinyin, initials, part of
any of those, extension, email, position or department; ranked with the exact name first."""

import pytest

from portal.directory.selectors import directory_search
from tests.integration.directory.conftest import inactive_employee

pytestmark = pytest.mark.django_db


def names(employee, query):
    return [person.name for person in directory_search(user=employee.user, query=query)]


@pytest.fixture
def reader(people):
    return people["wangzhi"]


@pytest.mark.parametrize("query", ["zhangwei", "zhang wei", "ZhangWei", "  zhang   wei "])
def test_full_pinyin_finds_the_person_however_it_is_spaced(reader, query):
    assert names(reader, query)[0] == "张伟"


def test_exact_name_comes_before_names_that_start_with_it(factory_departments, reader):
    from tests.factories.people import EmployeeFactory

    # Alphabetically by pinyin 张伟强 would not come after 张伟 by chance: 阿 sorts first.
    EmployeeFactory(name="张伟阿", department=factory_departments["quality"])
    EmployeeFactory(name="张伟强", department=factory_departments["quality"])
    assert names(reader, "张伟") == ["张伟", "张伟阿", "张伟强"]


def test_names_starting_with_the_query_come_before_other_matches(factory_departments, reader):
    from portal.models import Department

    # A department whose name contains 张 matches its members too, after the names.
    Department.objects.filter(pk=factory_departments["quality"].pk).update(name="张家质检科")
    result = names(reader, "张")
    assert result[:3] == ["张伟", "张卫国", "张文"]
    assert set(result[3:]) == {"王志", "单田芳"}


def test_initials_find_people(reader):
    result = names(reader, "zw")
    assert result == ["张伟", "张文", "张卫国"]


def test_exact_initials_come_before_longer_ones(reader):
    result = names(reader, "zw")
    assert result.index("张卫国") > result.index("张伟")
    assert result.index("张卫国") > result.index("张文")


def test_partial_pinyin_finds_people(reader):
    assert set(names(reader, "zhangw")) == {"张伟", "张卫国", "张文"}


def test_surname_reading_is_used_for_search(reader):
    assert names(reader, "shantianfang") == ["单田芳"]
    assert names(reader, "stf") == ["单田芳"]


def test_extension_email_position_and_department_find_people(people, reader):
    assert names(reader, "8003") == ["张文"]
    assert names(reader, people["zhangwei"].user.email) == ["张伟"]
    assert names(reader, "检验员") == ["张文"]
    assert set(names(reader, "质检科")) == {"张文", "王志", "单田芳"}


def test_deactivated_people_are_not_found(factory_departments, reader):
    inactive_employee("张伟", factory_departments["quality"])
    assert names(reader, "张伟") == ["张伟"]


def test_an_empty_query_finds_nobody(reader):
    assert names(reader, "   ") == []


def test_search_as_you_type_fragment_lists_matches(client, intranet, people):
    client.force_login(people["wangzhi"].user)
    html = client.get("/directory/results/", {"q": "zw"}).content.decode()
    assert "张伟" in html and "张文" in html and "王志" not in html
    assert "<html" not in html


def test_directory_page_searches_without_javascript(client, intranet, people):
    client.force_login(people["wangzhi"].user)
    html = client.get("/directory/", {"q": "zhangwen"}).content.decode()
    assert "张文" in html and f"/directory/people/{people['zhangwen'].pk}/" in html


def test_a_renamed_department_or_position_is_found_by_its_new_name(people, reader):
    """Departments and positions are matched from a cached copy of their names; saving one
    drops the copy."""
    from portal.models import Department

    assert names(reader, "品控") == []
    quality = Department.objects.get(code="quality")
    quality.name = "品控科"
    quality.save()
    assert set(names(reader, "品控")) == {"张文", "王志", "单田芳"}
    inspector = people["zhangwen"].position
    inspector.name_en = "Leaf Grader"
    inspector.save()
    assert names(reader, "leaf grader") == ["张文"]


@pytest.mark.parametrize("query", ["烟叶", "wangfang"])
def test_a_search_without_a_match_says_nobody_matches(client, intranet, people, query):
    client.force_login(people["wangzhi"].user)
    client.cookies["portal_language"] = "en"
    html = client.get("/directory/", {"q": query}).content.decode()
    assert "Nobody matches" in html
    assert "0 colleagues found" in html


@pytest.mark.parametrize("query", ["烟叶", "wangfang"])
def test_search_as_you_type_without_a_match_says_nobody_matches(client, intranet, people, query):
    client.force_login(people["wangzhi"].user)
    client.cookies["portal_language"] = "en"
    html = client.get("/directory/results/", {"q": query}).content.decode()
    assert "Nobody matches" in html
    assert "Type a name" not in html


def test_search_as_you_type_without_a_query_still_asks_for_a_name(client, intranet, people):
    client.force_login(people["wangzhi"].user)
    client.cookies["portal_language"] = "en"
    html = client.get("/directory/results/", {"q": " "}).content.decode()
    assert "Type a name" in html and "Nobody matches" not in html
