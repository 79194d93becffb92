"""Documents: the register (scale.documents regulations across departments, years, categories
and statuses, a third of them restricted and granted to a department) and as many circulated
reports, so that the register and every department's inbox hold data at the scale.

Bench documents are numbered from 1000 on, after the demo ones; reports carry a title prefix.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bench.generators import generator
from documents.circulation.boxes import BOXES_GENERATION
from documents.circulation.models import CircularReport, ReportDelivery, ReportType
from documents.circulation.services import report_types_ensure
from documents.register.models import Category, DepartmentGrant, PolicyDocument
from portal.models import Department, Employee

BATCH = 2000
FIRST_SEQUENCE = 1000
REPORT_PREFIX = "[bench] "
# A document open to every employee, with a known id for the bench's document page
# (bench/pages.py DOCUMENTS_PAGE_ID).
OPEN_DOCUMENT_ID = 900_000
SUBJECTS = [
    "安全生产", "质量检验", "设备维护", "原料采购", "财务报销", "仓储管理", "考勤",
    "薪酬", "档案管理", "节能降耗", "卷包工艺", "信息安全", "合同管理", "车辆管理",
]  # fmt: skip
KINDS = ["管理办法", "实施细则", "规定", "规程", "制度", "通知"]
STATUSES = ["in_force"] * 6 + ["superseded", "repealed", "draft"]
REPORT_STATUSES = ["sent", "accepted", "returned", "submitted", "draft", "accepted"]


@generator("documents")
def documents(scale, rng):
    with transaction.atomic():
        _documents(scale, rng)
        _open_document()
    with transaction.atomic():
        _reports(scale, rng)


def _documents(scale, rng):
    existing = PolicyDocument.objects.filter(sequence__gte=FIRST_SEQUENCE).count()
    if existing >= scale.documents:
        return
    departments = list(Department.objects.filter(parent__isnull=True).order_by("code"))
    categories = list(Category.objects.order_by("pk")) or [
        Category.objects.create(name="综合管理", name_en="General")
    ]
    rows = []
    for index in range(scale.documents):
        # Draw every value even for existing rows, so the sequence stays the same.
        department = rng.choice(departments)
        year = rng.randrange(2012, 2027)
        category = rng.choice(categories)
        status = rng.choice(STATUSES)
        restricted = rng.random() < 0.33
        title = rng.choice(SUBJECTS) + rng.choice(KINDS)
        if index < existing:
            continue
        rows.append(
            PolicyDocument(
                issuing_department=department,
                number_prefix=department.name[:2],
                year=year,
                sequence=FIRST_SEQUENCE + index,
                title=f"{title}（{index}）",
                level="factory" if index % 3 else "department",
                category=category,
                status=status,
                is_restricted=restricted,
                summary=f"{department.name}关于{title}的规定。",
            )
        )
    PolicyDocument.objects.bulk_create(rows, batch_size=BATCH)
    restricted = PolicyDocument.objects.filter(
        sequence__gte=FIRST_SEQUENCE + existing, is_restricted=True
    ).values_list("pk", flat=True)
    grants = [
        DepartmentGrant(document_id=pk, department=departments[pk % len(departments)])
        for pk in restricted
    ]
    DepartmentGrant.objects.bulk_create(grants, batch_size=BATCH, ignore_conflicts=True)


def _open_document():
    if PolicyDocument.objects.filter(pk=OPEN_DOCUMENT_ID).exists():
        return
    department = Department.objects.filter(parent__isnull=True).order_by("code").first()
    PolicyDocument.objects.create(
        pk=OPEN_DOCUMENT_ID,
        issuing_department=department,
        number_prefix=department.name[:2],
        year=2026,
        sequence=FIRST_SEQUENCE - 1,
        title="员工手册",
        level="factory",
        category=Category.objects.order_by("pk").first(),
        status="in_force",
        summary="全厂员工应遵守的基本规定。",
    )


def _reports(scale, rng):
    report_types_ensure()
    existing = CircularReport.objects.filter(title__startswith=REPORT_PREFIX).count()
    if existing >= scale.documents:
        return
    types = list(ReportType.objects.order_by("code"))
    drafters = {}
    for report_type in types:
        drafters[report_type.pk] = (
            Employee.objects.filter(department=report_type.source)
            .order_by("employee_number")
            .values_list("user_id", flat=True)
            .first()
        )
    now = timezone.now()
    rows = []
    for index in range(scale.documents):
        report_type = rng.choice(types)
        status = rng.choice(REPORT_STATUSES)
        age = timedelta(hours=rng.randrange(1, 24 * 60))
        if index < existing:
            continue
        sent = status not in ("draft", "submitted")
        rows.append(
            CircularReport(
                report_type=report_type,
                source_id=report_type.source_id,
                title=f"{REPORT_PREFIX}{report_type.name}（{index}）",
                period=f"{2026 - index % 3}-{index % 12 + 1:02d}",
                body="详见附表。",
                status=status,
                drafter_id=drafters[report_type.pk],
                created_at=now - age - timedelta(hours=1),
                sent_at=now - age if sent else None,
                due_at=now - age + timedelta(hours=report_type.due_hours) if sent else None,
            )
        )
    made = CircularReport.objects.bulk_create(rows, batch_size=BATCH)
    # Each report at each destination of its type, decided as its status says.
    destinations = {t.pk: list(t.destinations.values_list("pk", flat=True)) for t in types}
    decided = {"sent": "sent", "accepted": "accepted", "returned": "returned"}
    ReportDelivery.objects.bulk_create(
        [
            ReportDelivery(
                report_id=report.pk,
                destination_id=destination,
                status=decided.get(report.status, "waiting"),
            )
            for report in made
            for destination in destinations[report.report_type_id]
        ],
        batch_size=BATCH,
    )
    BOXES_GENERATION.bump()  # bulk_create sends no post_save: the boxes' kept numbers
