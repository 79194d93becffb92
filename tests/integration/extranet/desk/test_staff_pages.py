"""The sales staff's pages on the intranet: retailers, profile editing rights with audit,
import with a dry run, orders in bulk, picking lists, product and inventory inquiry."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from extranet.models import Order, Retailer, RetailerImport, Stock
from extranet.ordering.services import order_place, orders_advance
from portal.models import AuditEntry
from tests.conftest import make_role_user
from tests.factories.extranet import (
    AllocationFactory,
    BrandFactory,
    DeliveryRouteFactory,
    OrderFactory,
    OrderingRetailerFactory,
    ProductFactory,
)
from tests.querycount import assert_bounded_queries
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, intranet):
    user = make_role_user("account_manager")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def administrator(client, intranet):
    user = make_role_user("sales_administrator")
    client.force_login(user)
    client.user = user
    return client


def test_account_manager_sees_only_their_retailers_with_filters(manager):
    employee = manager.user.employee
    route = DeliveryRouteFactory(code="R9")
    mine = OrderingRetailerFactory(account_manager=employee, grade=3, region="西湖区", route=route)
    OrderingRetailerFactory(account_manager=employee, grade=5, region="上城区")
    other = OrderingRetailerFactory(grade=3)
    listed = list(manager.get(reverse("sales:retailers")).context["page"].object_list)
    assert other not in listed and mine in listed and len(listed) == 2
    for query in ({"grade": 3}, {"region": "西湖区"}, {"route": route.code}):
        listed = list(manager.get(reverse("sales:retailers"), query).context["page"].object_list)
        assert listed == [mine]
    day = {"order_day": mine.order_day}
    assert mine in manager.get(reverse("sales:retailers"), day).context["page"].object_list
    assert manager.get(reverse("sales:retailer", args=[other.pk])).status_code == 404
    assert manager.get(reverse("sales:retailer", args=[mine.pk])).status_code == 200


def test_account_manager_edits_dynamic_data_only_and_changes_are_audited(manager):
    retailer = OrderingRetailerFactory(account_manager=manager.user.employee)
    static = reverse("sales:retailer_edit", args=[retailer.pk, "static"])
    dynamic = reverse("sales:retailer_edit", args=[retailer.pk, "dynamic"])
    assert manager.get(static).status_code == 403
    response = manager.post(
        dynamic,
        {
            "business_status": "open",
            "district_environment": "学校周边",
            "support_score": 8,
            "influence_score": 5,
            "contact_name": "王",
            "contact_phone": "138",
            "contact_notes": "",
            "settlement": "cash",
            "order_day": retailer.order_day,
            "route": retailer.route.code,
            "visit_cycle": "fortnightly",
            "business_characteristics": "学生多",
            "mailing_address": "信箱 1 号",
        },
    )
    assert response.status_code == 302
    retailer.refresh_from_db()
    assert retailer.support_score == 8
    # Source 002's dynamic items are the account manager's: visit cycle, mailing address.
    assert retailer.visit_cycle == "fortnightly" and retailer.mailing_address == "信箱 1 号"
    entry = AuditEntry.objects.get(action="retailer.dynamic_changed")
    assert entry.data["changes"]["support_score"] == ["5", "8"]
    assert entry.actor == manager.user
    # The profile's history reads as a sentence naming the manager, not their login id.
    page = manager.get(reverse("sales:retailer", args=[retailer.pk])).content.decode()
    name = manager.user.employee.name
    assert f"{name} changed the business details of {retailer}" in page
    assert "retailer.dynamic_changed" not in page


def test_system_data_cannot_be_posted(administrator):
    retailer = OrderingRetailerFactory()
    data = {"business_status": "open", "support_score": 5, "influence_score": 5, "grade": 1}
    administrator.post(reverse("sales:retailer_edit", args=[retailer.pk, "dynamic"]), data)
    retailer.refresh_from_db()
    assert retailer.grade == 8


def test_bad_profile_input_is_refused_and_nothing_saved(administrator):
    retailer = OrderingRetailerFactory(account_manager=None)
    url = reverse("sales:retailer_edit", args=[retailer.pk, "dynamic"])
    response = administrator.post(
        url, {"business_status": "open", "support_score": 99, "influence_score": 5}
    )
    assert response.status_code == 200 and response.context["form"].errors
    retailer.refresh_from_db()
    assert retailer.support_score == 5
    assert not AuditEntry.objects.filter(action="retailer.dynamic_changed").exists()


def workbook_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "retailers.xlsx"
    return buffer


HEADER = ["licence_number", "store_name", "region", "route", "order_day", "settlement"]


def test_import_previews_without_saving_then_imports_in_the_worker(
    administrator, django_capture_on_commit_callbacks
):
    DeliveryRouteFactory(code="R1")
    existing = OrderingRetailerFactory(licence_number="330102000001", store_name="旧名")
    rows = [HEADER, ["330102000001", "新名", "西湖区", "R1", 2, "cash"], ["330102000002", "新店"]]
    url = reverse("sales:import")
    preview = administrator.post(url, {"file": workbook_file(rows), "action": "preview"})
    assert [row.action for row in preview.context["rows"]] == ["update", "create"]
    assert Retailer.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator.post(url, {"file": workbook_file(rows), "action": "import"})
    job = RetailerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:import_status", args=[job.pk])
    # Queued, not run in the request.
    assert Retailer.objects.count() == 1 and job.status == "queued"
    status = administrator.get(response["Location"])
    assert status.status_code == 200 and 'data-watch-status="queued"' in status.content.decode()
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count) == ("done", 1, 1)
    existing.refresh_from_db()
    assert existing.store_name == "新名" and existing.order_day == 1
    assert Retailer.objects.filter(licence_number="330102000002").exists()
    assert AuditEntry.objects.filter(action="retailer.created").exists()
    status = administrator.get(response["Location"]).content.decode()
    assert "1 retailers created, 1 updated" in status and "data-watch-status" not in status


def test_import_with_an_error_saves_nothing(administrator, django_capture_on_commit_callbacks):
    rows = [HEADER, ["330102000003", "好店"], ["330102000004", "坏店", "", "NOPE", 9, "barter"]]
    with django_capture_on_commit_callbacks(execute=True):
        administrator.post(
            reverse("sales:import"), {"file": workbook_file(rows), "action": "import"}
        )
    run_worker()
    job = RetailerImport.objects.get()
    assert job.status == "failed" and job.created_count == 0
    assert job.problems[0]["line"] == 3 and len(job.problems[0]["errors"]) == 3
    assert Retailer.objects.count() == 0
    page = administrator.get(reverse("sales:import_status", args=[job.pk])).content.decode()
    assert "Nothing was imported" in page and "Unknown route NOPE" in page


def test_import_run_again_changes_nothing_and_a_finished_job_is_left_alone(administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from extranet.crm.imports import retailer_import_queue, retailer_import_run

    rows = [HEADER, ["330102000005", "店五"], ["330102000006", "店六"]]
    upload = SimpleUploadedFile("r.xlsx", workbook_file(rows).getvalue())
    first = retailer_import_queue(file=upload, actor=administrator.user)
    retailer_import_run(import_id=first.pk)
    audits = AuditEntry.objects.count()
    # The finished job run again (a duplicate task): nothing happens.
    assert retailer_import_run(import_id=first.pk).status == "done"
    assert AuditEntry.objects.count() == audits
    # The same file imported again: every row is an update that changes nothing.
    upload = SimpleUploadedFile("r.xlsx", workbook_file(rows).getvalue())
    second = retailer_import_run(
        import_id=retailer_import_queue(file=upload, actor=administrator.user).pk
    )
    assert (second.status, second.created_count, second.updated_count) == ("done", 0, 2)
    assert Retailer.objects.count() == 2
    assert not AuditEntry.objects.filter(action="retailer.static_changed").exists()


def test_import_status_page_query_count(administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from extranet.crm.imports import retailer_import_queue

    upload = SimpleUploadedFile("r.xlsx", workbook_file([HEADER]).getvalue())
    job = retailer_import_queue(file=upload, actor=administrator.user)

    def grow(size):
        RetailerImport.objects.filter(pk=job.pk).update(
            status="failed",
            problems=[{"line": n, "licence_number": str(n), "errors": ["x"]} for n in range(size)],
        )

    assert_bounded_queries(
        administrator, reverse("sales:import_status", args=[job.pk]), grow, max_queries=12
    )


def test_import_of_a_file_that_is_not_excel_is_a_clear_400(administrator):
    bad = io.BytesIO(b"not a spreadsheet")
    bad.name = "x.xlsx"
    response = administrator.post(reverse("sales:import"), {"file": bad, "action": "preview"})
    assert response.status_code == 400
    assert "not an Excel" in response.content.decode()


def test_orders_are_confirmed_in_bulk_only_among_those_visible(manager):
    mine = OrderingRetailerFactory(account_manager=manager.user.employee)
    product = ProductFactory()
    first = order_place(retailer=mine, lines=[(product.pk, 1)], idempotency_key="a")
    second = order_place(retailer=mine, lines=[(product.pk, 1)], idempotency_key="b")
    foreign = order_place(
        retailer=OrderingRetailerFactory(), lines=[(product.pk, 1)], idempotency_key="c"
    )
    listed = manager.get(reverse("sales:orders"), {"status": "submitted"}).context["page"]
    assert {order["pk"] for order in listed} == {first.pk, second.pk}
    manager.post(
        reverse("sales:orders_advance"),
        {"from_status": "submitted", "order": [first.pk, second.pk, foreign.pk]},
    )
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "confirmed", foreign.pk: "submitted"}


def test_staff_cancel_needs_a_reason_and_releases_stock(administrator):
    product = ProductFactory(stock=10)
    order = order_place(
        retailer=OrderingRetailerFactory(), lines=[(product.pk, 3)], idempotency_key="a"
    )
    orders_advance(order_ids=[order.pk], from_status="submitted", actor=None)
    url = reverse("sales:order", args=[order.pk])
    assert administrator.post(url, {"reason": ""}).status_code == 400
    administrator.post(url, {"reason": "门店停业"})
    order.refresh_from_db()
    assert order.status == "cancelled" and order.cancel_reason == "门店停业"
    assert Stock.objects.get(product=product).available == 10


def test_picking_list_per_route_as_page_and_excel(administrator):
    route = DeliveryRouteFactory(code="R7")
    product = ProductFactory(code="P7")
    retailers = [OrderingRetailerFactory(route=route) for _ in range(2)]
    orders = [
        order_place(retailer=retailer, lines=[(product.pk, 3)], idempotency_key="k")
        for retailer in retailers
    ]
    orders_advance(order_ids=[o.pk for o in orders], from_status="submitted", actor=None)
    query = {"route": route.code, "cycle": orders[0].cycle.isoformat()}
    page = administrator.get(reverse("sales:picking"), query)
    assert page.context["data"]["products"][0]["cartons"] == 6
    download = administrator.get(reverse("sales:picking"), {**query, "format": "xlsx"})
    assert download["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert ("P7", str(product), 6) in [row[:3] for row in sheet.iter_rows(values_only=True)]


def test_product_inquiry_shows_quantities_only_to_sales_staff(client, intranet):
    product = AllocationFactory(grade=3, cartons=7, product__stock=4321).product
    url = reverse("sales:product", args=[product.pk])
    client.force_login(make_role_user("employee"))
    assert "4321" not in client.get(url).content.decode()
    client.force_login(make_role_user("account_manager"))
    text = client.get(url).content.decode()
    assert "4321" in text and "stock-quantity" in text


def test_staff_pages_queries_do_not_grow(administrator):
    route = DeliveryRouteFactory(code="RQ")

    def grow(size):
        for _ in range(size):
            retailer = OrderingRetailerFactory(route=route, region="西湖区")
            OrderFactory(retailer=retailer, status="confirmed", lines=[(ProductFactory(), 2)])

    assert_bounded_queries(administrator, reverse("sales:retailers"), grow, max_queries=14)
    assert_bounded_queries(administrator, reverse("sales:orders"), grow, max_queries=14)
    assert_bounded_queries(administrator, reverse("sales:products"), grow, max_queries=12)
    assert_bounded_queries(administrator, reverse("sales:top"), grow, max_queries=12)
    cycle = Order.objects.first().cycle.isoformat()
    assert_bounded_queries(
        administrator,
        reverse("sales:picking") + f"?route={route.code}&cycle={cycle}",
        grow,
        max_queries=14,
    )
    retailer = Retailer.objects.first()

    def grow_orders(size):
        for _ in range(size):
            OrderFactory(retailer=retailer, lines=[(ProductFactory(), 1)])

    assert_bounded_queries(
        administrator, reverse("sales:retailer", args=[retailer.pk]), grow_orders, max_queries=14
    )


def test_sales_administrator_keeps_the_catalogue_in_wagtail_admin(administrator):
    ProductFactory()
    for url in ("/admin/product/", "/admin/stock/", "/admin/allocation/", "/admin/brand/"):
        assert administrator.get(url).status_code == 200, url


def test_account_manager_has_no_catalogue_admin(manager):
    assert manager.get("/admin/product/").status_code in (302, 403, 404)


def test_product_pages_queries_do_not_grow(administrator, client):
    product = AllocationFactory(grade=1).product

    def grow(size):
        from datetime import date

        from extranet.models import SalesPolicy

        for index in range(size):
            SalesPolicy.objects.create(
                product=product, title=f"政策{index}", body="<p>x</p>", valid_from=date(2026, 1, 1)
            )
        for grade in range(2, min(size, 8) + 1):
            AllocationFactory._meta.model.objects.get_or_create(
                product=product, grade=grade, defaults={"cartons": 3}
            )

    assert_bounded_queries(
        administrator, reverse("sales:product", args=[product.pk]), grow, max_queries=12
    )


def test_order_detail_and_edit_pages_queries_do_not_grow(administrator):
    order = OrderFactory(lines=[(ProductFactory(), 1)])

    def grow(size):
        from extranet.models import OrderLine

        for _ in range(size):
            OrderLine.objects.create(
                order=order, product=ProductFactory(), quantity=1, unit_price=1, amount=1
            )

    assert_bounded_queries(
        administrator, reverse("sales:order", args=[order.pk]), grow, max_queries=14
    )
    edit = reverse("sales:retailer_edit", args=[order.retailer.pk, "static"])

    def grow_routes(size):
        for _ in range(size):
            DeliveryRouteFactory()

    assert_bounded_queries(administrator, edit, grow_routes, max_queries=14)


def test_order_rows_link_each_order_with_its_figures_and_checkbox(manager):
    retailer = OrderingRetailerFactory(account_manager=manager.user.employee)
    order = order_place(retailer=retailer, lines=[(ProductFactory().pk, 2)], idempotency_key="rows")
    page = manager.get(reverse("sales:orders"), {"status": "submitted"}).content.decode()
    assert f'<a href="{reverse("sales:order", args=[order.pk])}">{order.number}</a>' in page
    assert f'value="{order.pk}" aria-label="Select {order.number}"' in page
    assert '<span class="status status-submitted">Submitted</span>' in page
    assert f"<td>{retailer.store_name}</td>" in page
    unfiltered = manager.get(reverse("sales:orders")).content.decode()
    assert order.number in unfiltered and 'name="order"' not in unfiltered


def test_product_inquiry_lists_a_new_brand_at_once(administrator):
    ProductFactory(brand=BrandFactory(name="旧牌"))
    assert "旧牌" in administrator.get(reverse("sales:products")).content.decode()
    ProductFactory(brand=BrandFactory(name="新牌"))
    page = administrator.get(reverse("sales:products")).content.decode()
    assert page.count("新牌") == 2  # the brand filter and the product's row


def test_the_sales_tabs_are_the_users_kind_and_language_though_written_once(client, intranet):
    # The navigation is rendered once per kind of user and language and then reused: an
    # employee served after the sales staff must not get their tabs, nor English in Chinese.
    staff, employee = make_role_user("sales_administrator"), make_role_user("employee")
    retailers = f'href="{reverse("sales:retailers")}"'
    for user, language, tab, label in [
        (staff, "en", True, "Products and stock"),
        (employee, "en", False, "Products and stock"),
        (staff, "zh-hans", True, "产品与库存"),
        (employee, "zh-hans", False, "产品与库存"),
    ]:
        client.force_login(user)
        page = client.get(reverse("sales:products"), HTTP_ACCEPT_LANGUAGE=language)
        html = page.content.decode()
        assert (retailers in html) is tab and label in html, (user, language)
