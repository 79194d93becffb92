"""`documents.circulation.boxes`, the box page's written-out SQL, gives exactly what the
selectors give (`report_box` under `reports_visible_to`, `active_report_types_for(…).exists()`,
`unread_report_notification_count`) for every reader, department, box and status filter; and
an empty box costs no more than three queries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.circulation import boxes, selectors
from documents.circulation.boxes import BoxReports, box_header
from documents.circulation.models import CircularReport, ReportDelivery, ReportNotification
from documents.circulation.selectors import box_statuses
from portal.models import Department
from tests.factories.documents import CircularReportFactory, ReportTypeFactory, deliveries_for
from tests.factories.people import DepartmentFactory, RetailerLoginFactory, UserFactory
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
                        assert (mine.title, mine.period, mine.due_at) == (
                            theirs.title,
                            theirs.period,
                            theirs.due_at,
                        )
                        assert (mine.type_name, mine.type_name_en) == (
                            theirs.report_type.name,
                            theirs.report_type.name_en,
                        )
                        assert (mine.source_name, mine.source_name_en) == (
                            theirs.source.name,
                            theirs.source.name_en,
                        )
                        if box == "inbox":
                            assert mine.status == theirs.inbox_status, label
                            assert mine.destinations == ()
                        else:
                            assert mine.status == theirs.status, label
                            assert list(mine.destinations) == [
                                (d.destination.name, d.destination.name_en, d.status)
                                for d in theirs.deliveries.all()
                            ]
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
    # The box's first page (which, empty, tells its number: no count), the header (drafting,
    # unread notifications).
    report_queries = [q for q in queries.captured_queries if "documents_" in q["sql"]]
    assert len(report_queries) == 2, [q["sql"] for q in report_queries]
    # A member of a top-level department: their department comes with the signed-in user.
    department_queries = [
        q for q in queries.captured_queries if 'FROM "portal_department"' in q["sql"]
    ]
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


def sent_to(destination, number, *, source=None, due_in_hours=5, title="报告"):
    """`number` reports sent to `destination`, newest last."""
    report_type = ReportTypeFactory(source=source or DepartmentFactory(), destination=destination)
    now = timezone.now()
    return [
        CircularReportFactory(
            report_type=report_type,
            title=f"{title}{i}",
            status="sent",
            created_at=now - timedelta(minutes=number - i),
            sent_at=now,
            due_at=now + timedelta(hours=due_in_hours),
        )
        for i in range(number)
    ]


def pages_shown(response) -> str:
    return response.context["page"].paginator.num_pages


def test_the_rows_show_what_the_template_showed(client, plant):
    """Written out in Python: the title escaped with its line breaks kept as text, the period,
    the type and source in the reader's language, this department's decision and the overdue
    badge; the outbox lists each destination with its decision."""
    report_type = ReportTypeFactory(
        source=plant.quality, destinations=[plant.sales, plant.office], name_en="Monthly check"
    )
    now = timezone.now()
    late = CircularReportFactory(
        report_type=report_type,
        title='<script>alert("x")</script>\n第二行 & more',
        period="2026-11",
        status="sent",
        sent_at=now,
        due_at=now - timedelta(hours=1),
    )
    ReportDelivery.objects.filter(report=late, destination=plant.office).update(status="accepted")
    client.force_login(plant.sales_member.user)
    html = client.get("/documents/reports/?box=inbox").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\n第二行 &amp; more" in html
    assert "<script>alert" not in html
    assert f'href="/documents/reports/{late.pk}/"' in html
    assert '<span class="hint">2026-11</span>' in html
    assert f"<td>{report_type.name}</td>" in html  # Chinese by default
    assert "<td>质检科</td>" in html
    assert '<span class="status status-sent">' in html
    assert 'class="badge overdue"' in html
    assert timezone.localtime(late.due_at).strftime("%Y-%m-%d %H:%M") in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(plant.quality_member.user)
    html = client.get("/documents/reports/?box=outbox").content.decode()
    assert "<td>Monthly check</td>" in html
    assert '<li>Sales · <span class="status status-sent">Awaiting decision</span></li>' in html
    assert (
        '<li>Director&#x27;s Office · <span class="status status-accepted">Accepted</span></li>'
    ) in html
    assert "Overdue" in html


def test_a_report_past_its_due_time_is_overdue_without_a_save(client, plant):
    [report] = sent_to(plant.sales, 1, due_in_hours=1)
    client.force_login(plant.sales_member.user)
    assert (
        'class="badge overdue"' not in client.get("/documents/reports/?box=inbox").content.decode()
    )
    assert (
        "报告0" not in client.get("/documents/reports/?box=inbox&status=overdue").content.decode()
    )
    CircularReport.objects.filter(pk=report.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    # A queryset update sends no signal: the clock alone made it overdue.
    assert 'class="badge overdue"' in client.get("/documents/reports/?box=inbox").content.decode()
    overdue = client.get("/documents/reports/?box=inbox&status=overdue")
    assert "报告0" in overdue.content.decode()
    assert overdue.context["page"].paginator.count == 1


def test_the_number_of_reports_follows_every_change(client, plant):
    reports = sent_to(plant.sales, 35)
    client.force_login(plant.sales_member.user)
    assert pages_shown(client.get("/documents/reports/?box=inbox")) == 2
    # Kept now: 30 more, by the service's way (a save) or the admin's, show at once.
    sent_to(plant.sales, 30)
    response = client.get("/documents/reports/?box=inbox")
    assert response.context["page"].paginator.count == 65
    assert pages_shown(response) == 3
    # A decision taken back (a delivery saved) and a report deleted.
    delivery = ReportDelivery.objects.get(report=reports[0], destination=plant.sales)
    delivery.status = "waiting"
    delivery.save()
    reports[1].delete()
    assert client.get("/documents/reports/?box=inbox").context["page"].paginator.count == 63
    outbox = client.get(f"/documents/reports/?box=outbox&department={plant.sales.pk}")
    assert outbox.context["page"].paginator.count == 0


def test_a_wrong_kept_number_never_hides_a_page_or_a_report(client, plant):
    sent_to(plant.sales, 35)
    user = plant.sales_member.user
    client.force_login(user)
    client.get("/documents/reports/?box=inbox")
    key = boxes._count_key(user, plant.sales, "inbox", "")
    assert cache.get(key) == 35
    cache.set(key, 3)  # too few: the full first page says there is more
    response = client.get("/documents/reports/?box=inbox")
    assert response.context["page"].paginator.count == 35
    assert pages_shown(response) == 2
    cache.set(key, 3000)  # too many: the last page reads the truth
    last = client.get("/documents/reports/?box=inbox&page=2")
    assert last.context["page"].paginator.count == 35
    assert len(last.context["page"].object_list) == 5
    assert not last.context["page"].has_next()


def test_colleagues_share_a_kept_number_and_a_move_changes_it(plant):
    other = employee_in(plant.sales).user
    assert boxes._count_key(other, plant.sales, "inbox", "") == boxes._count_key(
        plant.sales_member.user, plant.sales, "inbox", ""
    )
    assert boxes._count_key(plant.head.user, plant.sales, "inbox", "") != boxes._count_key(
        other, plant.sales, "inbox", ""
    )
    assert boxes._count_key(other, plant.sales, "inbox", "overdue") is None
    employee = other.employee
    employee.department = plant.quality
    employee.save()
    moved = type(other).objects.get(pk=other.pk)
    assert boxes._count_key(moved, plant.sales, "inbox", "") != boxes._count_key(
        plant.sales_member.user, plant.sales, "inbox", ""
    )


@pytest.mark.parametrize("number", ["abc", "0", "-1", "99999999999999999999", "3"])
def test_any_page_number_answers_a_page(client, plant, number):
    sent_to(plant.sales, 35)
    client.force_login(plant.sales_member.user)
    response = client.get(f"/documents/reports/?box=inbox&page={number}")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) in (30, 5)


def test_a_full_box_page_runs_the_same_queries_at_two_sizes(client, plant):
    client.force_login(plant.sales_member.user)
    counts = []
    for more in (35, 300):
        sent_to(plant.sales, more)
        client.get("/documents/reports/?box=inbox")
        for box in ("inbox", "outbox"):
            department = plant.sales if box == "inbox" else plant.quality
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/documents/reports/?box={box}&department={department.pk}")
            assert response.status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
