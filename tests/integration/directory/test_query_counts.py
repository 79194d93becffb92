"""The directory, its search and the notice pages run a bounded number of queries: the same at
200 and at 5,000 employees (made with bulk_create to stay fast), and at 2 and 30 notices."""

import pytest

from portal.models import Department, Employee, User
from portal.names import pinyin_initials, pinyin_of
from portal.notices.models import Notice
from tests.factories.notices import NoticeDeliveryFactory, NoticeFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db

SIZES = (200, 5000)
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋"


def grow_employees(n):
    """Bring the directory to n active employees in ten departments (two of them sections)."""
    departments = list(Department.objects.filter(code__startswith="qc-"))
    if not departments:
        parents = [DepartmentFactory(code=f"qc-{i}", name=f"科室{i}") for i in range(8)]
        sections = [
            DepartmentFactory(code=f"qc-s{i}", name=f"分部{i}", parent=parents[i]) for i in range(2)
        ]
        departments = parents + sections
    start = Employee.objects.count()
    rows = range(start, n)
    users = User.objects.bulk_create(
        [User(username=f"Q{i:05d}", email=f"q{i}@factory.example.com") for i in rows],
        batch_size=1000,
    )
    employees = []
    for i, user in zip(rows, users, strict=True):
        name = SURNAMES[i % 10] + GIVEN[(i // 10) % 10] + GIVEN[(i // 100) % 10]
        pinyin = pinyin_of(name)
        employees.append(
            Employee(
                user=user,
                employee_number=f"Q{i:05d}",
                name=name,
                name_pinyin=pinyin,
                name_pinyin_compact=pinyin.replace(" ", ""),
                name_initials=pinyin_initials(name),
                department=departments[i % len(departments)],
                phone=f"139{i:08d}",
                extension=f"{6000 + i}",
                office="A101",
            )
        )
    Employee.objects.bulk_create(employees, batch_size=1000)


@pytest.fixture
def reader(client, intranet, employee):
    client.force_login(employee)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/directory/",
        "/directory/?q=zw",
        "/directory/?q=张",
        "/directory/?q=6012",
        "/directory/results/?q=wang",
        "/directory/departments/qc-0/",
        "/search/?q=张伟",
    ],
)
def test_directory_and_search_pages_have_bounded_queries(reader, settings, url):
    # Everyone listed on the directory page at both sizes: the heaviest case.
    settings.DIRECTORY_INLINE_MEMBERS_LIMIT = 10_000
    assert_bounded_queries(reader, url, grow_employees, max_queries=12, sizes=SIZES)


def test_a_persons_card_has_bounded_queries(reader, employee):
    url = f"/directory/people/{employee.employee.pk}/"
    assert_bounded_queries(reader, url, grow_employees, max_queries=8, sizes=SIZES)


def test_a_large_directory_lists_departments_without_members(reader, settings):
    settings.DIRECTORY_INLINE_MEMBERS_LIMIT = 1000
    grow_employees(1200)
    html = reader.get("/directory/").content.decode()
    assert "/directory/departments/qc-0/" in html and "/directory/people/" not in html


def grow_notices(sender, recipient):
    def grow(n):
        for _ in range(Notice.objects.count(), n):
            notice = NoticeFactory(sender=sender)
            NoticeDeliveryFactory(notice=notice, recipient=recipient)
            NoticeDeliveryFactory(notice=notice)

    return grow


@pytest.mark.parametrize("url", ["/notices/", "/notices/sent/"])
def test_notice_lists_have_bounded_queries(reader, employee, url):
    assert_bounded_queries(reader, url, grow_notices(employee, employee), max_queries=10)


def test_notice_page_with_deliveries_has_bounded_queries(reader, employee):
    notice = NoticeFactory(sender=employee)

    def grow(n):
        for _ in range(notice.deliveries.count(), n):
            NoticeDeliveryFactory(notice=notice, recipient=EmployeeFactory().user)

    assert_bounded_queries(reader, f"/notices/{notice.pk}/", grow, max_queries=12)


@pytest.fixture
def office_client(client, intranet):
    sender = EmployeeFactory(department=DepartmentFactory(code="director-office")).user
    client.force_login(sender)
    return client, sender


def test_compose_and_confirm_pages_have_bounded_queries(office_client):
    client, sender = office_client
    notice = NoticeFactory(
        sender=sender, status=Notice.Status.DRAFT, audience={"all": True}, sent_at=None
    )
    assert_bounded_queries(client, "/notices/new/", grow_employees, max_queries=10, sizes=SIZES)
    assert_bounded_queries(
        client, f"/notices/{notice.pk}/confirm/", grow_employees, max_queries=10, sizes=SIZES
    )


def test_the_administrators_archive_has_bounded_queries(client, intranet):
    from tests.conftest import make_role_user

    admin = make_role_user("superuser")
    client.force_login(admin)
    other = EmployeeFactory().user
    assert_bounded_queries(client, "/notices/sent/", grow_notices(other, admin), max_queries=10)


def test_the_import_preview_has_bounded_queries(client, intranet, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import make_role_user

    client.force_login(make_role_user("superuser"))
    DepartmentFactory(code="quality")

    def grow(n):
        lines = ["employee_number,name,department,email"] + [
            f"N{i:05d},员工{i},quality,n{i}@factory.example.com" for i in range(n)
        ]
        sheet = SimpleUploadedFile("staff.csv", "\n".join(lines).encode())
        assert client.post("/directory/import/", {"sheet": sheet}).status_code == 302

    assert_bounded_queries(client, "/directory/import/preview/", grow, max_queries=12)


def test_the_draft_edit_page_has_bounded_queries(office_client):
    from tests.factories.notices import NoticeAttachmentFactory

    client, sender = office_client
    notice = NoticeFactory(
        sender=sender,
        status=Notice.Status.DRAFT,
        audience={"departments": ["director-office"], "include_sections": True},
        sent_at=None,
    )
    assert_bounded_queries(
        client, f"/notices/{notice.pk}/edit/", grow_employees, max_queries=10, sizes=SIZES
    )

    def grow_attachments(n):
        for _ in range(notice.attachments.count(), n):
            NoticeAttachmentFactory(notice=notice)

    assert_bounded_queries(client, f"/notices/{notice.pk}/edit/", grow_attachments, max_queries=10)
