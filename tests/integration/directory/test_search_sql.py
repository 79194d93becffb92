"""The directory's written-out SQL (portal.directory.search_sql) gives the same rows, in the same
order, as the ORM selectors it mirrors, for every role: deactivated colleagues stay hidden and
retailers see nobody, without a query."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.directory import search_sql, selectors
from portal.models import Position
from portal.search.visibility import employees_visible_to
from tests.conftest import make_role_user
from tests.factories.people import EmployeeFactory
from tests.integration.directory.conftest import inactive_employee
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db

QUERIES = [
    "张伟",
    "张",
    "zw",
    "zhang wei",
    "ZhangWei",
    "800",
    "质检",
    "Inspector",
    "zhang",
    "wang%",
]


@pytest.fixture
def directory(people, factory_departments):
    """The test directory with two colleagues who left (deactivated accounts), one of them
    head of production, and a reader of each role."""
    left = inactive_employee("张伟伟", factory_departments["production"])
    inactive_employee("张三", factory_departments["quality"])
    production = factory_departments["production"]
    production.head = left
    production.save()
    quality = factory_departments["quality"]
    quality.head = people["wangzhi"]
    quality.save()
    return people


def orm_search(user, query, face="intranet"):
    found = selectors.directory_search(user=user, query=query, face=face, limit=None)
    return list(found.values_list("pk", "rank"))


@pytest.mark.parametrize("role", ["employee", "superuser", "sales_administrator"])
def test_search_rows_are_the_orm_searchs_for_each_employee_role(directory, role):
    user = make_role_user(role)
    for query in QUERIES:
        rows, total = search_sql.directory_search_rows(user=user, query=query, limit=100)
        expected = orm_search(user, query)
        assert [(row.pk, row.rank) for row in rows] == expected, query
        assert total == (len(expected) or None), query
        assert search_sql.directory_search_count(user=user, query=query) == len(expected)


def test_search_rows_show_the_orms_names_emails_and_details(directory):
    """The search reads department and position names from the directory's cached copy: they
    are the database's, also after a rename, and for a department made around the ORM."""
    from portal.models import Department, Employee

    user = make_role_user("employee")

    def shown(query):
        rows, _total = search_sql.directory_search_rows(user=user, query=query, limit=100)
        return {
            row.pk: (
                row.department_name,
                row.department_name_en,
                row.position_name,
                row.position_name_en,
                row.email,
                row.extension,
            )
            for row in rows
        }

    def expected(pks):
        return {
            e.pk: (
                e.department.name,
                e.department.name_en,
                e.position.name if e.position else None,
                e.position.name_en if e.position else None,
                e.user.email,
                e.extension,
            )
            for e in Employee.objects.select_related("department", "position", "user").filter(
                pk__in=pks
            )
        }

    for query in ("张", "zhang", "Inspector", "800"):
        found = shown(query)
        assert found and found == expected(found), query
    quality = Department.objects.get(code="quality")
    quality.name_en = "Quality Control"
    quality.save()
    assert shown("王志")[directory["wangzhi"].pk][1] == "Quality Control"
    (lab,) = Department.objects.bulk_create(  # no signal: the cached copy does not know it
        [Department(code="lab", name="化验室", name_en="Lab", sort_order=99)]
    )
    newcomer = EmployeeFactory(name="欧阳修", department=lab)
    assert shown("欧阳")[newcomer.pk][:2] == ("化验室", "Lab")


def test_the_search_never_finds_someone_who_left(directory):
    user = make_role_user("employee")
    rows, _total = search_sql.directory_search_rows(user=user, query="张", limit=100)
    assert "张伟伟" not in [row.name for row in rows] and "张三" not in [row.name for row in rows]
    assert "张伟" in [row.name for row in rows]


@pytest.mark.parametrize("who", ["retailer", "anonymous"])
def test_retailers_and_visitors_find_nobody_without_a_query(directory, who):
    user = make_role_user(who) or AnonymousUser()
    assert not employees_visible_to(user=user, face="intranet").exists()
    with CaptureQueriesContext(connection) as queries:
        assert search_sql.directory_search_rows(user=user, query="张", limit=10) == ([], 0)
        assert search_sql.employees_visible_to_sql(user=user, face="intranet") is None
        assert search_sql.directory_rows(user=user) == []
    assert len(queries) == 0


def test_the_extranet_lists_nobody_even_to_an_employee(directory):
    user = make_role_user("employee")
    assert search_sql.employees_visible_to_sql(user=user, face="extranet") is None
    assert search_sql.directory_search_rows(user=user, query="张", face="extranet", limit=9) == (
        [],
        0,
    )


def test_everyone_listed_is_the_orms_directory_people(directory):
    user = make_role_user("employee")
    expected = [person.pk for person in selectors.directory_people(user=user)]
    assert sorted(row.pk for row in search_sql.directory_rows(user=user)) == sorted(expected)


def test_a_departments_members_and_head_are_the_orms(directory):
    user = make_role_user("employee")
    for code in ("production", "quality", "production-rolling"):
        department = selectors.department_for_directory(code=code)
        orm = selectors.department_page(user=user, department=department)
        context = selectors.department_page_rows(user=user, code=code, number=1, per_page=50)
        members = context["members"]
        assert [row.pk for row in members.object_list] == [p.pk for p in orm["members"]], code
        assert members.paginator.count == orm["members"].count()
        assert (context["head"].pk if context["head"] else None) == (
            orm["head"].pk if orm["head"] else None
        )
        assert [(s.code, s.head_count) for s in context["sections"]] == [
            (s.code, s.head_count) for s in orm["sections"]
        ]
        assert context["department"].parent_id == department.parent_id


def test_a_head_who_left_is_not_shown(directory):
    context = selectors.department_page_rows(
        user=make_role_user("employee"), code="production", number=1, per_page=50
    )
    assert context["head"] is None


def test_pages_of_a_search_are_the_paginators_pages_of_the_orm(directory):
    for index in range(7):
        EmployeeFactory(name=f"张{'一二三四五六七'[index]}")
    user = make_role_user("employee")
    expected = Paginator(selectors.directory_search(user=user, query="张", limit=None), 3)
    for number in (1, 2, 3, 4, 99, 0, "x", None):
        expected_page = expected.get_page(number)
        page = selectors.directory_search_page(user=user, query="张", number=number, per_page=3)
        assert page.number == expected_page.number, number
        assert page.paginator.count == expected.count
        assert [row.pk for row in page.object_list] == [p.pk for p in expected_page.object_list], (
            number
        )


def test_pages_of_a_department_are_the_paginators_pages_of_the_orm(directory):
    """Members with and without a position (a rank or none), a head who left: every page,
    including one asked past the last, is the ORM's page, with the ORM's number of members."""
    quality = selectors.department_for_directory(code="quality")
    clerk = Position.objects.create(name="科员", name_en="Clerk", rank=60)
    for index in range(7):
        EmployeeFactory(
            name=f"李{'一二三四五六七'[index]}",
            department=quality,
            position=clerk if index % 2 else None,
        )
    inactive_employee("李八", quality)
    user = make_role_user("employee")
    orm = selectors.department_page(user=user, department=quality)
    expected = Paginator(orm["members"], 3)
    for number in (1, 2, 3, 4, 99, 0, "x", None):
        expected_page = expected.get_page(number)
        context = selectors.department_page_rows(
            user=user, code="quality", number=number, per_page=3
        )
        page = context["members"]
        assert page.number == expected_page.number, number
        assert page.paginator.count == expected.count
        assert [row.pk for row in page.object_list] == [p.pk for p in expected_page.object_list], (
            number
        )
        assert context["head"].pk == orm["head"].pk


def test_a_page_of_a_department_is_one_query(directory):
    user = make_role_user("employee")
    selectors.department_rows_kept()  # the kept departments and head counts
    with CaptureQueriesContext(connection) as queries:
        context = selectors.department_page_rows(user=user, code="quality", number=1, per_page=2)
        assert context["members"].paginator.count == 3 and context["head"] is not None
    assert len(queries) == 1


def test_a_page_of_the_search_is_one_query(directory):
    user = make_role_user("employee")
    selectors._named("张")  # the cached department and position names, read once a while
    with CaptureQueriesContext(connection) as queries:
        page = selectors.directory_search_page(user=user, query="张", number=1, per_page=2)
        assert page.paginator.count >= 3 and len(page.object_list) == 2
    assert len(queries) == 1


def test_the_departments_counts_are_the_orms(directory):
    from django.db.models import Count

    from portal.models import Department

    user = make_role_user("employee")
    expected = dict(
        selectors.directory_people(user=user)
        .values_list("department_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    departments = search_sql.departments_with_counts(user=user)
    assert [d.pk for d in departments] == [d.pk for d in Department.objects.all()]
    assert {d.pk: d.head_count for d in departments if d.head_count} == expected
    retailer = make_role_user("retailer")
    assert all(d.head_count == 0 for d in search_sql.departments_with_counts(user=retailer))


def test_the_sites_search_shows_people_as_the_employee_rows_would(directory):
    from portal.directory.search_indexes import EmployeeIndex
    from portal.models import Employee

    index = EmployeeIndex()
    user = make_role_user("employee")
    for query in ("张", "8003", "质检"):
        matches = index.direct_matches(user=user, query=query, face="intranet", limit=300)
        pks = matches.leading + matches.trailing
        rows = [matches.rows[pk] for pk in pks]
        employees = {e.pk: e for e in index.result_queryset(face="intranet").filter(pk__in=pks)}
        assert index.results(rows, face="intranet") == [
            index.result(employees[pk], face="intranet") for pk in pks
        ]
        assert pks and all(Employee.objects.get(pk=pk).user.is_active for pk in pks)


@pytest.fixture
def reader(client, intranet, employee):
    client.force_login(employee)
    return client


def grow(n):
    for _ in range(n):
        EmployeeFactory(name="张伟", department=selectors.department_for_directory(code="quality"))


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/directory/?q=zw", 1),
        ("/directory/results/?q=zhang", 1),
        ("/directory/departments/quality/", 2),
        ("/directory/", 2),
        ("/search/?q=张伟", 1),
    ],
)
def test_directory_pages_read_their_people_in_one_or_two_statements(
    directory, reader, url, queries
):
    reader.get(url)
    with CaptureQueriesContext(connection) as base:
        reader.get("/directory/results/")  # the request's own queries (session, user)
    counts = assert_bounded_queries(reader, url, grow, max_queries=len(base) + queries)
    assert counts


@pytest.mark.postgres
def test_the_search_is_planned_for_its_values_not_prepared_once_for_all(directory):
    """A prepared statement is planned once for any value after a few runs: for the search that
    plan cannot use the name, pinyin or email indexes (it does not know the pattern) and reads
    every employee and account. The search is never made a prepared statement."""
    user = make_role_user("employee")
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    for _ in range(12):  # the settings prepare a statement on its fifth run
        for query in ("zhang", "张"):
            search_sql.directory_search_rows(user=user, query=query, limit=50)
            search_sql.directory_search_count(user=user, query=query)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%directory_rank%"],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT COUNT(*) FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ["SELECT COUNT(*)%", "%employee_number IN%"],
        )
        assert cursor.fetchone()[0] == 0
    assert connection.connection.prepare_threshold == threshold  # as the settings have it


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("condition", "index"),
    [
        ("email LIKE 'zhang%'", "portal_user_email_prefix"),
        ("NOT is_active", "portal_user_inactive"),
    ],
)
def test_the_accounts_indexes_answer_the_directorys_conditions(condition, index):
    """The directory finds accounts by the start of their email, and leaves out the deactivated
    ones: both are read from an index, whatever the database's collation (a plain index on the
    email answers LIKE 'x%' only under the "C" collation)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT id FROM portal_user WHERE {condition}")  # noqa: S608 (constants)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


@pytest.mark.postgres
def test_chinese_text_inside_names_is_found_through_the_name_grams_index(directory):
    """A name holds the text only if it holds every character pair of it (every character, for
    one): the index on names' grams answers the search for Chinese text inside names, and the
    rows are the ORM's, for texts of one, two and more characters, at the start, in the middle
    and at the end of names, with a space or a LIKE wildcard in them."""
    for name in ("欧阳修", "司马相如", "张", "阿张", "上官张伟", "张_伟", "张 伟"):
        EmployeeFactory(name=name)
    user = make_role_user("employee")
    for query in (
        "张",
        "伟",
        "张伟",
        "相如",
        "马相",
        "阳修",
        "欧阳修",
        "张_",
        "张 伟",
        "_",
        "修伟",
    ):
        rows, _total = search_sql.directory_search_rows(user=user, query=query, limit=100)
        assert [(row.pk, row.rank) for row in rows] == orm_search(user, query), query
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM portal_employee WHERE portal_name_grams(name) @> %s::text[]",
            [search_sql.name_grams("相如")],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "portal_employee_name_grams" in plan, plan


def test_a_texts_grams_are_its_character_pairs():
    assert search_sql.name_grams("张") == ["张"]
    assert search_sql.name_grams("张伟") == ["张伟"]
    assert search_sql.name_grams("司马相如") == ["司马", "马相", "相如"]
    assert search_sql.name_grams("哈哈哈") == ["哈哈"]
