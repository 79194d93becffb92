"""Each process keeps its Whoosh searcher open between searches and reopens it only when the
index changed: what another process indexes is found at the next search, and nothing of a
cleared index is found any more."""

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet

from portal.models import Employee
from portal.search.backend import ChineseWhooshBackend
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


def found(query):
    return {int(result.pk) for result in SearchQuerySet(using="default").auto_query(query)}


def other_process_backend():
    """A backend of the same index as another process (the search worker) has it."""
    backend = ChineseWhooshBackend("default", **connections.connections_info["default"])
    return backend


def index_in_other_process(*employees):
    unified_index = connections["default"].get_unified_index()
    backend = other_process_backend()
    backend.update(unified_index.get_index(Employee), list(employees))


def test_searches_of_an_unchanged_index_share_one_searcher():
    index_in_other_process(EmployeeFactory(name="欧阳娜娜"))
    backend = connections["default"].get_backend()
    assert found("欧阳娜娜")
    searcher = backend.current_searcher()
    assert found("欧阳娜娜")
    assert found("娜娜")
    assert backend.current_searcher() is searcher


def test_a_search_asked_again_of_an_unchanged_index_is_answered_from_memory(monkeypatch):
    employee = EmployeeFactory(name="欧阳娜娜")
    index_in_other_process(employee)
    backend = connections["default"].get_backend()
    assert found("欧阳娜娜") == {employee.pk}
    parsed = []
    parse = backend.parser.parse
    monkeypatch.setattr(backend.parser, "parse", lambda text: parsed.append(text) or parse(text))

    assert found("欧阳娜娜") == {employee.pk}
    assert parsed == []
    # Another query, or the same one for another page, is searched.
    assert found("娜娜") == {employee.pk}
    assert list(SearchQuerySet(using="default").auto_query("欧阳娜娜")[1:2]) == []
    assert parsed == ["(娜娜)", "(欧阳娜娜)"]


def test_a_document_another_process_removes_is_no_longer_found_by_the_same_search():
    employee = EmployeeFactory(name="欧阳娜娜")
    index_in_other_process(employee)
    assert found("欧阳娜娜") == {employee.pk}

    other_process_backend().remove(employee)

    assert found("欧阳娜娜") == set()


def test_what_another_process_indexes_is_found_at_the_next_search():
    first = EmployeeFactory(name="欧阳娜娜")
    index_in_other_process(first)
    assert found("欧阳娜娜") == {first.pk}
    searcher = connections["default"].get_backend().current_searcher()

    second = EmployeeFactory(name="欧阳娜娜")
    index_in_other_process(second)

    assert found("欧阳娜娜") == {first.pk, second.pk}
    assert connections["default"].get_backend().current_searcher() is not searcher


def test_a_rebuilt_index_is_searched_not_the_one_before():
    employee = EmployeeFactory(name="欧阳娜娜")
    index_in_other_process(employee)
    assert found("欧阳娜娜") == {employee.pk}

    # Another process clears the index and rebuilds it without the employee.
    Employee.objects.filter(pk=employee.pk).update(name="司马光")
    employee.refresh_from_db()
    other_process_backend().clear()
    index_in_other_process(employee)

    assert found("欧阳娜娜") == set()
    assert found("司马光") == {employee.pk}


def test_rebuild_index_in_this_process_is_seen_by_its_searches():
    employee = EmployeeFactory(name="欧阳娜娜")
    index_in_other_process(employee)
    assert found("欧阳娜娜") == {employee.pk}
    Employee.objects.filter(pk=employee.pk).update(name="司马光")

    call_command("rebuild_index", "--noinput", verbosity=0)

    assert found("欧阳娜娜") == set()
    assert found("司马光") == {employee.pk}
