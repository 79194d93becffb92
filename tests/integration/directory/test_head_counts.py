"""The directory's departments and head counts are kept in the cache (selectors.
department_rows_kept) and forgotten whenever an employee, an account or a department changes:
the pages never show a count that the database no longer has."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.directory import search_sql, selectors
from portal.services import employee_deactivate, employee_reactivate
from tests.conftest import make_role_user
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.integration.directory.conftest import inactive_employee

pytestmark = pytest.mark.django_db


def counts(user):
    roots, total, _with_members = selectors.department_tree(user=user, with_members=False)
    by_code = {}
    nodes = list(roots)
    while nodes:
        node = nodes.pop()
        by_code[node.department.code] = node.head_count
        nodes.extend(node.sections)
    return by_code, total


def counted_by_the_database():
    """The counts as the ORM reads them now: active members per department."""
    return {
        department.code: department.head_count
        for department in search_sql.departments_from_rows(search_sql.department_rows())
    }


@pytest.fixture
def reader(people):
    return make_role_user("employee")


def test_the_kept_counts_are_read_without_a_query_until_something_changes(reader):
    first = counts(reader)
    with CaptureQueriesContext(connection) as queries:
        assert counts(reader) == first
    assert len(queries) == 0


def test_a_new_colleague_is_counted_at_once(reader, factory_departments):
    before, total = counts(reader)
    EmployeeFactory(name="李明", department=factory_departments["quality"])
    after, new_total = counts(reader)
    assert after["quality"] == before["quality"] + 1 and new_total == total + 1
    assert after == {code: n for code, n in counted_by_the_database().items() if code in after}


def test_someone_deactivated_or_reactivated_is_counted_at_once(reader, people):
    admin = make_role_user("superuser")
    before, total = counts(reader)
    department = people["wangzhi"].department.code
    employee_deactivate(employee=people["wangzhi"], actor=admin)
    after, new_total = counts(reader)
    assert after[department] == before[department] - 1 and new_total == total - 1
    people["wangzhi"].user.refresh_from_db()
    employee_reactivate(employee=people["wangzhi"], actor=admin)
    assert counts(reader) == (before, total)


def test_an_account_saved_whole_is_counted_again(reader, people):
    before, _total = counts(reader)
    user = get_user_model().objects.get(pk=people["wangzhi"].user_id)
    user.is_active = False
    user.save()
    after, _total = counts(reader)
    assert after["quality"] == before["quality"] - 1


def test_a_sign_in_keeps_the_counts(reader, people):
    counts(reader)
    user = get_user_model().objects.get(pk=people["wangzhi"].user_id)
    user.save(update_fields=["last_login"])
    with CaptureQueriesContext(connection) as queries:
        counts(reader)
    assert len(queries) == 0


def test_someone_moved_or_deleted_is_counted_where_they_are(reader, people, factory_departments):
    before, total = counts(reader)
    moved = people["wangzhi"]
    moved.department = factory_departments["production"]
    moved.save()
    after, _total = counts(reader)
    assert after["quality"] == before["quality"] - 1
    assert after["production"] == before["production"] + 1
    people["shantian"].delete()
    after_delete, new_total = counts(reader)
    assert after_delete["quality"] == before["quality"] - 2 and new_total == total - 1


def test_a_new_department_and_its_sections_are_listed_at_once(reader, factory_departments):
    counts(reader)
    section = DepartmentFactory(
        code="quality-lab",
        name="理化检验室",
        name_en="Laboratory",
        parent=factory_departments["quality"],
    )
    EmployeeFactory(name="李明", department=section)
    inactive_employee("李四", section)
    assert counts(reader)[0]["quality-lab"] == 1
    context = selectors.department_page_rows(user=reader, code="quality", number=1, per_page=50)
    assert [(s.code, s.head_count) for s in context["sections"]] == [("quality-lab", 1)]


def test_a_reader_who_may_see_nobody_gets_the_departments_without_counts(people):
    retailer = make_role_user("retailer")
    by_code, total = counts(retailer)
    assert set(by_code) >= {"production", "quality"} and total == 0
    assert set(by_code.values()) == {0}
