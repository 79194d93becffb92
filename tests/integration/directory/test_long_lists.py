"""The directory's long lists come a page at a time: a phone scrolled through 28,000 px when
the directory page listed all 200 people of the factory."""

import pytest
from django.conf import settings

from portal.directory import views
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_the_directory_page_lists_members_only_up_to_one_page_of_people(
    signed_in, factory_departments
):
    assert settings.DIRECTORY_INLINE_MEMBERS_LIMIT <= views.PAGE_SIZE
    quality = factory_departments["quality"]
    # With the signed-in reader, one page's worth of people: all listed.
    for _ in range(settings.DIRECTORY_INLINE_MEMBERS_LIMIT - 1):
        EmployeeFactory(department=quality)
    assert "/directory/people/" in signed_in.get("/directory/").content.decode()
    EmployeeFactory(department=quality)
    html = signed_in.get("/directory/").content.decode()
    assert "/directory/people/" not in html
    assert "/directory/departments/quality/" in html


def test_a_department_lists_its_members_a_page_at_a_time(
    signed_in, factory_departments, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    quality = factory_departments["quality"]
    names = ["安娜", "白雪", "陈晨", "丁一", "范冰"]
    for name in names:
        EmployeeFactory(department=quality, name=name)
    url = "/directory/departments/quality/"
    pages = [signed_in.get(url, {"page": number}).content.decode() for number in (1, 2, 3)]
    listed = [[name for name in names if f">{name}</a>" in page] for page in pages]
    assert [len(names_on_page) for names_on_page in listed] == [2, 2, 1]
    assert sorted(sum(listed, [])) == sorted(names)
    assert "5 members" in pages[0]
    assert 'href="?page=2" rel="next"' in pages[0]
    assert 'href="?page=1" rel="prev"' in pages[1] and 'href="?page=3" rel="next"' in pages[1]


def test_search_results_keep_the_query_in_their_page_links(signed_in, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name in ("王一", "王二", "王三"):
        EmployeeFactory(name=name)
    html = signed_in.get("/directory/", {"q": "王"}).content.decode()
    assert "?q=%E7%8E%8B&amp;page=2" in html
