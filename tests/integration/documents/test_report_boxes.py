"""`documents.circulation.boxes`, the box page's written-out SQL, gives exactly what the
selectors give (`report_box` under `reports_visible_to`, `active_report_types_for(…).exists()`,
`unread_report_notification_count`) for every reader, department, box and status filter; and
an empty box costs no more than three queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.circulation import selectors
from documents.circulation.boxes import BoxReports, box_header
from documents.circulation.models import CircularReport, ReportDelivery, ReportNotification
from documents.circulation.selectors import box_statuses
from portal.models import Department
from tests.factories.documents import ReportTypeFactory, deliveries_for
from tests.factories.people import RetailerLoginFactory, UserFactory
from tests.integration.documents.conftest import employee_in

pytestmark = pytest.mark.django_db


def make_reports(plant):
    """Reports from quality to sales and the office, and from sales to quality, in every
    status, some overdue, some delivered in part."""
    now = timezone.now()
    to_sales = ReportTypeFactory(source=plant.quality, destinations=[plant.sales, plant.office])
    to_quality = ReportTypeFactory(source=plant.sales, destination=plant.quality)
    ReportTypeFactory(source=plant.lab, destination=plant.sales, is_active=False)
    reports = []
    for i, status in enumerate(
        ["draft", "submitted", "returned_to_drafter", "sent", "sent", "accepted", "returned"] * 2
    ):
        report_type = to_sales if i % 2 else to_quality
        sent = status in ("sent", "accepted", "returned")
        reports.append(
            CircularReport.objects.create(
                report_type=report_type,
                source=report_type.source,
                title=f"报告{i}",
                status=status,
                created_at=now - timedelta(hours=i),
                sent_at=now if sent else None,
                due_at=(now + timedelta(hours=(-5 if i % 3 else 5))) if sent else None,
            )
        )
        deliveries_for([reports[-1]])
    # One destination decided, the other still to: the inbox shows each department's own.
    ReportDelivery.objects.filter(report=reports[3], destination=plant.office).update(
        status="accepted"
    )
    return reports


def readers(plant):
    inactive = employee_in(plant.sales).user
    inactive.is_active = False
    inactive.save()
    return [
        plant.head.user,  # the Director's Office
        plant.quality_member.user,
        plant.lab_member.user,  # a section of quality
        plant.sales_member.user,
        inactive,
        UserFactory(),  # no employee
        RetailerLoginFactory().user,
    ]


def test_the_boxes_hold_what_report_box_gives(plant):
    make_reports(plant)
    departments = list(Department.objects.all())
    listed = 0
    for user in readers(plant):
        for department in departments:
            for box in ("inbox", "outbox"):
                statuses = ["", "bogus", *(value for value, _label in box_statuses(box))]
                if box == "inbox":
                    statuses.append("waiting")
                for status in statuses:
                    expected = list(
                        selectors.report_box(
                            user=user, department=department, box=box, status=status
                        )
                    )
                    rows = BoxReports(user=user, department=department, box=box, status=status)
                    label = (user, department.code, box, status)
                    assert rows.count() == len(expected), label
                    listed += bool(expected)
                    found = rows[0 : len(expected) + 5]
                    assert [r.pk for r in found] == [r.pk for r in expected], label
                    if expected:
                        assert rows[1:2] == found[1:2] or len(expected) < 2
                    for mine, theirs in zip(found, expected, strict=True):
                        assert mine.report_type == theirs.report_type
                        assert mine.source == theirs.source
                        assert [(d.destination, d.status) for d in mine.deliveries.all()] == [
                            (d.destination, d.status) for d in theirs.deliveries.all()
                        ]
                        if box == "inbox":
                            assert mine.inbox_status == theirs.inbox_status, label
    assert listed > 20  # the comparisons are not all of empty boxes


def test_the_header_is_what_the_selectors_give(plant):
    reports = make_reports(plant)
    ReportNotification.objects.create(
        recipient=plant.sales_member.user, report=reports[0], kind="submitted"
    )
    ReportNotification.objects.create(
        recipient=plant.sales_member.user,
        report=reports[1],
        kind="submitted",
        read_at=timezone.now(),
    )
    for user in readers(plant):
        expected = (
            selectors.active_report_types_for(user=user).exists(),
            selectors.unread_report_notification_count(user=user),
        )
        assert box_header(user=user) == expected, user


def test_an_empty_box_page_takes_three_queries(client, intranet, plant):
    client.force_login(plant.sales_member.user)
    client.get("/documents/reports/?box=inbox")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/documents/reports/?box=inbox")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    # The department, the box's count, the header (drafting, unread notifications).
    report_queries = [q for q in queries.captured_queries if "documents_" in q["sql"]]
    assert len(report_queries) == 2, [q["sql"] for q in report_queries]
    # A member of a top-level department: their department comes with the signed-in user.
    department_queries = [q for q in queries.captured_queries if "portal_department" in q["sql"]]
    assert department_queries == [], [q["sql"] for q in department_queries]


def test_the_box_departments_are_the_rules(plant):
    """`box_department_choices` reads a top-level department's member's department from the
    signed-in user rather than the database: still exactly the departments of the rule."""
    from documents.permissions import department_ids_of, is_director_office
    from portal.accounts import PortalAuthenticationBackend

    compared = 0
    for user in readers(plant):
        # As a test builds it, and as a request reads it (with employee and department).
        for reader in (user, PortalAuthenticationBackend()._user_load(user.pk)):
            if is_director_office(reader):
                expected = list(Department.objects.filter(parent__isnull=True))
            else:
                expected = list(Department.objects.filter(pk__in=department_ids_of(reader)))
            found = selectors.box_department_choices(user=reader)
            assert [(d.pk, d.name, d.name_en, d.parent_id) for d in found] == [
                (d.pk, d.name, d.name_en, d.parent_id) for d in expected
            ], reader
            compared += bool(found)
    assert compared >= 8  # not all empty: the office, members, a section's member


def test_a_renamed_department_shows_on_the_next_box_page(client, intranet, plant):
    client.force_login(plant.sales_member.user)
    assert "销售部新名" not in client.get("/documents/reports/?box=inbox").content.decode()
    department = Department.objects.get(pk=plant.sales.pk)
    department.name = department.name_en = "销售部新名"
    department.save()
    assert "销售部新名" in client.get("/documents/reports/?box=inbox").content.decode()
