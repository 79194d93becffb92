"""The register and the inbox run the same few queries at 100 and at 20,000 documents."""

import pytest
from django.utils import timezone

from documents.circulation.models import CircularReport
from documents.register.models import (
    DepartmentGrant,
    PolicyDocument,
    PolicyDocumentUserObjectPermission,
)
from tests.factories.documents import CategoryFactory, ReportTypeFactory, deliveries_for
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db
SIZES = (100, 20_000)


def grow_documents(plant, reader):
    from django.contrib.auth.models import Permission

    categories = [CategoryFactory() for _ in range(5)]
    departments = [plant.office, plant.quality, plant.sales]
    view = Permission.objects.get(codename="view_policydocument")

    def grow(n):
        start = PolicyDocument.objects.count()
        # Primary keys do not restart at 1 between tests on PostgreSQL: take the new rows by key.
        last_pk = PolicyDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        PolicyDocument.objects.bulk_create(
            [
                PolicyDocument(
                    issuing_department=departments[i % 3],
                    number_prefix="厂办",
                    year=2015 + i % 12,
                    sequence=i + 1,
                    title=f"制度{i}",
                    level="factory",
                    category=categories[i % 5],
                    status=("in_force", "superseded", "repealed", "draft")[i % 4],
                    is_restricted=i % 3 == 0,
                )
                for i in range(start, n)
            ],
            batch_size=2000,
        )
        restricted = list(
            PolicyDocument.objects.filter(is_restricted=True, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        DepartmentGrant.objects.bulk_create(
            [DepartmentGrant(document_id=pk, department=plant.quality) for pk in restricted[::2]],
            batch_size=2000,
        )
        PolicyDocumentUserObjectPermission.objects.bulk_create(
            [
                PolicyDocumentUserObjectPermission(
                    content_object_id=pk, user=reader.user, permission=view
                )
                for pk in restricted[1::4]
            ],
            batch_size=2000,
        )

    return grow


@pytest.mark.parametrize(
    ("who", "params"),
    [
        ("quality_member", ""),
        ("quality_member", "?year=2020&status=in_force&category=1"),
        ("quality_member", "?q=制度&page=2"),
        ("manager", ""),
        ("head", "?department=1"),
    ],
)
@pytest.mark.parametrize("counts_cached", [True, False], ids=["warm", "cold"])
def test_the_register_has_bounded_queries(
    client, intranet, settings, plant, who, params, counts_cached
):
    if not counts_cached:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    reader = getattr(plant, who)
    client.force_login(reader.user)
    counts = assert_bounded_queries(
        client, f"/documents/{params}", grow_documents(plant, reader), max_queries=10, sizes=SIZES
    )
    assert counts[SIZES[-1]] <= 10


def test_a_warm_register_page_reads_its_rows_and_counts_nothing(client, intranet, plant):
    """With the counts kept, the page is one query: its rows, without a count (counting every
    visible document was most of the register's database time at 20,000 documents)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader = plant.quality_member
    client.force_login(reader.user)
    grow_documents(plant, reader)(200)
    client.get("/documents/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/documents/").status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    documents = [sql for sql in statements if "documents_" in sql]
    assert len(documents) == 1
    assert not any("COUNT(" in sql.upper() for sql in statements)


def test_a_register_page_past_the_end_costs_two_queries_more(client, intranet, plant):
    """The page asked for is read in one query; past the end, the count and the last page
    are read too."""
    from tests.querycount import count_queries

    reader = plant.quality_member
    client.force_login(reader.user)
    grow_documents(plant, reader)(100)
    client.get("/documents/?q=制度")
    in_range = count_queries(client, "/documents/?q=制度")
    assert count_queries(client, "/documents/?q=制度&page=99") == in_range + 2


def test_a_document_page_has_bounded_queries(client, intranet, plant):
    reader = plant.quality_member
    client.force_login(reader.user)
    grow = grow_documents(plant, reader)
    grow(5)
    document = PolicyDocument.objects.filter(is_restricted=False).exclude(status="draft").first()
    assert_bounded_queries(client, f"/documents/{document.pk}/", grow, max_queries=10, sizes=SIZES)


def test_the_inbox_has_bounded_queries(client, intranet, plant):
    from tests.integration.documents.conftest import employee_in

    sales_head = employee_in(plant.sales)
    plant.sales.head = sales_head
    plant.sales.save()
    # Two destinations: the inbox shows the department's own decision, the outbox each one's.
    report_type = ReportTypeFactory(source=plant.quality, destinations=[plant.sales, plant.office])
    now = timezone.now()

    def grow(n):
        start = CircularReport.objects.count()
        made = CircularReport.objects.bulk_create(
            [
                CircularReport(
                    report_type=report_type,
                    source=plant.quality,
                    title=f"报告{i}",
                    body="正文",
                    status=("sent", "accepted", "returned", "draft")[i % 4],
                    drafter=plant.quality_member.user,
                    sent_at=None if i % 4 == 3 else now,
                    due_at=None if i % 4 == 3 else now + timezone.timedelta(hours=i % 48 - 24),
                )
                for i in range(start, n)
            ],
            batch_size=2000,
        )
        deliveries_for(made, [plant.sales, plant.office])

    client.force_login(sales_head.user)
    for params in ("?box=inbox", "?box=inbox&status=overdue&page=2", "?box=outbox"):
        assert_bounded_queries(
            client, f"/documents/reports/{params}", grow, max_queries=10, sizes=SIZES
        )


def test_the_notifications_page_has_bounded_queries(client, intranet, plant):
    from documents.circulation.models import ReportNotification

    report_type = ReportTypeFactory(source=plant.quality, destination=plant.sales)
    reader = plant.quality_head.user
    now = timezone.now()

    def grow(n):
        start = CircularReport.objects.count()
        reports = CircularReport.objects.bulk_create(
            [
                CircularReport(
                    report_type=report_type,
                    source=plant.quality,
                    title=f"报告{i}",
                    status="submitted",
                    drafter=plant.quality_member.user,
                )
                for i in range(start, n)
            ],
            batch_size=2000,
        )
        deliveries_for(reports, [plant.sales])
        ReportNotification.objects.bulk_create(
            [
                ReportNotification(
                    recipient=reader, report=report, kind="submitted", created_at=now
                )
                for report in reports
            ],
            batch_size=2000,
        )

    client.force_login(reader)
    for params in ("", "?page=2"):
        assert_bounded_queries(
            client,
            f"/documents/reports/notifications/{params}",
            grow,
            max_queries=10,
            sizes=(100, 2_000),
        )


def test_a_report_page_with_its_own_fields_has_bounded_queries(client, intranet, plant):
    from documents.circulation.report_types import DEFAULT_SCHEMAS

    report_type = ReportTypeFactory(
        source=plant.quality, destination=plant.sales, fields=DEFAULT_SCHEMAS["sales-plan"]
    )
    report = CircularReport.objects.create(
        report_type=report_type,
        source=plant.quality,
        title="销售计划",
        drafter=plant.quality_member.user,
        data={"lines": [{"brand": f"品牌{i}", "cases": str(i)} for i in range(30)]},
    )

    def grow(n):
        from documents.circulation.models import ReportStep

        ReportStep.objects.bulk_create(
            [
                ReportStep(report=report, action="submitted", actor=plant.quality_member.user)
                for _ in range(report.steps.count(), n)
            ]
        )

    client.force_login(plant.quality_member.user)
    assert_bounded_queries(
        client, f"/documents/reports/{report.pk}/", grow, max_queries=12, sizes=(5, 200)
    )
