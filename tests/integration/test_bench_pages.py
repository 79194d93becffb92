"""The benchmark's pages and signed-in clients (bench/pages.py, bench/sessions.py): every page
is a real URL of its face, objects without a fixed id are found by their natural key, and the
staff roles sign in as employees of that role, who get the staff pages."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import resolve

from bench import queries, sessions
from bench.pages import _PATH_FIELD, PAGES, PATH_OBJECTS, STAFF_ROLES, Page, with_ids
from portal.permissions import Role
from tests.factories.bulletins import NoticeFactory, board_of
from tests.factories.extranet import ProductFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory, RetailerFactory


def test_every_bench_page_is_a_url_of_its_face():
    for page in PAGES:
        path = _PATH_FIELD.sub("1", page.path).split("?")[0]
        resolve(path, urlconf=settings.PORTAL_URLCONFS[page.face])  # raises Resolver404
        assert set(_PATH_FIELD.findall(page.path)) <= set(PATH_OBJECTS), page.name


def test_staff_roles_have_pages_and_only_on_the_intranet():
    assert {page.role for page in PAGES} >= set(STAFF_ROLES)
    with pytest.raises(ValueError):
        Page("x", "extranet", "/", "sales-administrator")


@pytest.mark.django_db
def test_with_ids_fills_in_the_objects_by_their_natural_key():
    product = ProductFactory(code=PATH_OBJECTS["stock_product"][2])
    retailer = RetailerFactory(licence_number=PATH_OBJECTS["logins_retailer"][2])
    board = board_of(DepartmentFactory())
    notice = NoticeFactory(board=board, slug=PATH_OBJECTS["report_notice"][2])
    paths = {page.name: page.path for page in with_ids(PAGES)}
    assert paths["bulletins-report"] == f"/bulletins/notices/{notice.pk}/report/"
    assert paths["sales-stock"] == f"/sales/products/{product.pk}/stock/"
    assert paths["sales-retailer-logins"] == f"/sales/retailers/{retailer.pk}/logins/"
    assert not any("{" in path for path in paths.values())


@pytest.mark.django_db
def test_with_ids_says_which_object_is_missing():
    ProductFactory(code=PATH_OBJECTS["stock_product"][2])
    NoticeFactory(board=board_of(DepartmentFactory()), slug=PATH_OBJECTS["report_notice"][2])
    with pytest.raises(RuntimeError, match="licence_number"):
        with_ids(PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "group"),
    [("sales-administrator", Role.SALES_ADMINISTRATOR), ("account-manager", Role.ACCOUNT_MANAGER)],
)
def test_staff_sessions_are_of_the_role_and_open_its_pages(role, group):
    staff = EmployeeFactory(user__roles=[group]).user
    EmployeeFactory()  # a plain employee, never signed in for a staff role
    keys = sessions.sessions_create(role=role, count=3)
    assert {SessionStore(session_key=key)["_auth_user_id"] for key in keys} == {str(staff.pk)}
    assert staff not in sessions.users_for("employee", 10)
    orders = next(page for page in PAGES if page.role == role and page.path == "/sales/orders/")
    assert queries.count_queries(orders, keys[0]).status == 200
    plain = sessions.sessions_create(role="employee", count=1)[0]
    assert queries.count_queries(orders, plain).status == 403
    sessions.sessions_delete(keys)


@pytest.mark.django_db
def test_cpu_measures_each_of_the_roles_readers_in_turn(monkeypatch):
    """`bench.cpu.measure` given the load's sessions asks as each of its users in turn, so a
    page whose cost depends on the reader (a department's report box) is not measured for the
    first user alone."""
    from bench import cpu

    EmployeeFactory.create_batch(3)
    keys = sessions.sessions_create(role="employee", count=3)
    readers = {key: SessionStore(session_key=key)["_auth_user_id"] for key in keys}
    asked = []
    real_client = cpu._client

    def recording_client(page, session_key, language=None):
        client = real_client(page, session_key, language)
        get = client.get

        def recorded(path, *args, **kwargs):
            response = get(path, *args, **kwargs)
            asked.append((session_key, response.wsgi_request.user.pk))
            return response

        client.get = recorded
        return client

    monkeypatch.setattr(cpu, "_client", recording_client)
    page = with_ids([next(page for page in PAGES if page.name == "documents-inbox")])[0]
    result = cpu.measure(page, keys, repeat=6, warmup=0)
    assert result["status"] == 200
    timed = asked[-6:]
    assert [key for key, _user in timed] == keys * 2
    assert {str(user) for _key, user in timed} == set(readers.values())
    assert len(set(readers.values())) == 3
    sessions.sessions_delete(keys)
