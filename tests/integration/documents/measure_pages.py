"""Not collected: an in-process measurement of the documents pages (CPU and wall time per
request, SQL per request) at 20,000 documents and reports. Run explicitly:
.venv/bin/pytest -p no:xdist -s tests/integration/documents/measure_pages.py"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.circulation.models import CircularReport
from documents.register.models import PolicyDocument
from tests.factories.documents import ReportTypeFactory, deliveries_for
from tests.integration.documents.test_query_counts import grow_documents

pytestmark = pytest.mark.django_db
N = 40


def measure(client, url):
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    cpu, wall = [], []
    for _ in range(N):
        c0, w0 = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    cpu.sort()
    wall.sort()
    return statistics.median(cpu), statistics.median(wall), wall[int(N * 0.95) - 1], len(queries)


def test_measure(client, intranet, plant):
    from tests.integration.documents.conftest import employee_in

    reader = plant.quality_member
    grow_documents(plant, reader)(20_000)
    sales_head = employee_in(plant.sales)
    plant.sales.head = sales_head
    plant.sales.save()
    report_type = ReportTypeFactory(source=plant.quality, destination=plant.sales)
    now = timezone.now()
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
            for i in range(20_000)
        ],
        batch_size=2000,
    )
    deliveries_for(made, [plant.sales])
    document = PolicyDocument.objects.filter(is_restricted=False, status="in_force").first()
    report = CircularReport.objects.filter(status="sent").first()
    rows = []
    client.force_login(reader.user)
    for url in (
        "/healthz",
        "/documents/",
        "/documents/?year=2020&status=in_force",
        "/documents/?q=制度1&page=3",
        f"/documents/{document.pk}/",
    ):
        rows.append((reader, url, *measure(client, url)))
    client.force_login(sales_head.user)
    for url in (
        "/documents/reports/?box=inbox",
        "/documents/reports/?box=inbox&status=overdue",
        f"/documents/reports/{report.pk}/",
        "/documents/reports/notifications/",
    ):
        rows.append((sales_head, url, *measure(client, url)))
    print()
    print(f"{'url':50} {'cpu ms':>8} {'wall ms':>8} {'p95 ms':>8} {'SQL':>4}")
    for _who, url, cpu, wall, p95, queries in rows:
        print(f"{url:50} {cpu:8.2f} {wall:8.2f} {p95:8.2f} {queries:4d}")
