"""Demo data of the documents app: categories, regulations across years and departments (with
small Word files, whose text the worker extracts for search), a restricted one, a superseded
chain, one to acknowledge, and a few reports on their way. Idempotent: documents are known by
their number, reports by their title."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from documents.circulation import services as circulation
from documents.circulation.models import CircularReport, ReportType
from documents.circulation.report_types import ROUTE_DEPARTMENTS
from documents.register import services as register
from documents.register.models import Category, PolicyDocument
from portal.demo import demo_password_hash
from portal.models import Department, Employee, User

CATEGORIES = [
    ("安全生产", "Work safety"),
    ("质量管理", "Quality management"),
    ("财务管理", "Financial management"),
    ("人事管理", "Human resources"),
    ("行政管理", "Administration"),
]

# department code, prefix, year, sequence, title, category, level, text, options
DOCUMENTS = [
    ("director-office", "厂办", 2024, 3, "员工考勤管理办法", "人事管理", "factory",
     "上班时间为八时至十七时，迟到三次计旷工半天。", {}),
    ("director-office", "厂办", 2026, 1, "员工考勤管理办法（2026年修订）", "人事管理", "factory",
     "实行弹性工作时间，核心工作时间为九时至十六时。", {"supersedes": (2024, 3)}),
    ("director-office", "厂办", 2026, 2, "安全生产责任制规定", "安全生产", "factory",
     "各科室负责人为本部门安全生产第一责任人，每月组织一次安全检查。",
     {"requires_acknowledgement": True}),
    ("quality", "质检", 2025, 4, "烟叶含水率检测规程", "质量管理", "department",
     "烟叶含水率检测采用烘箱法，每批次抽样不少于五个。", {}),
    ("quality", "质检", 2026, 1, "卷烟成品质量抽检制度", "质量管理", "department",
     "成品卷烟每班抽检两次，不合格品隔离存放并记录。", {}),
    ("finance", "财务", 2025, 2, "费用报销管理办法", "财务管理", "factory",
     "差旅费报销须在出差结束后十五日内提交，附原始票据。", {}),
    ("finance", "财务", 2026, 3, "中层干部薪酬管理办法", "财务管理", "factory",
     "中层干部绩效奖金按季度考核结果发放。", {"restricted": ["director-office", "audit"]}),
    ("production", "生产", 2026, 5, "设备维护保养规定", "安全生产", "department",
     "卷接机组每班结束后进行清洁，每周检查关键部件。", {}),
]  # fmt: skip


def _word(text: str, name: str) -> SimpleUploadedFile:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def seed(*, stdout):
    manager = Employee.objects.filter(employee_number="E00003").select_related("user").first()
    if manager is None:
        return
    circulation.report_types_ensure()
    categories = {}
    for order, (name, name_en) in enumerate(CATEGORIES):
        categories[name], _ = Category.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "sort_order": order * 10}
        )
    departments = {d.code: d for d in Department.objects.select_related("head__user")}
    created = 0
    for code, prefix, year, sequence, title, category, level, text, options in DOCUMENTS:
        department = departments.get(code)
        if department is None:
            continue
        if PolicyDocument.objects.filter(
            issuing_department=department, year=year, sequence=sequence
        ).exists():
            continue
        with transaction.atomic():
            supersedes = None
            if "supersedes" in options:
                old_year, old_sequence = options["supersedes"]
                supersedes = PolicyDocument.objects.filter(
                    issuing_department=department, year=old_year, sequence=old_sequence
                ).first()
            document = register.document_register(
                actor=manager.user,
                issuing_department=department,
                number_prefix=prefix,
                year=year,
                sequence=sequence,
                title=title,
                level=level,
                category=categories[category],
                signing_date=datetime.date(year, 1, 10 + sequence),
                effective_date=datetime.date(year, 2, 1),
                summary=text,
                is_restricted="restricted" in options,
                requires_acknowledgement=options.get("requires_acknowledgement", False),
                supersedes=supersedes,
                official_file=_word(f"{title}\n{text}", f"{title}.docx"),
            )
            register.document_publish(actor=manager.user, document=document)
            head = department.head
            for grantee in options.get("restricted", []):
                if head is not None and grantee in departments:
                    register.access_grant_department(
                        actor=head.user, document=document, department=departments[grantee]
                    )
        created += 1
    reports = _reports(departments)
    signed_in = _route_heads_sign_in()
    stdout.write(
        f"Documents: {created} new documents, {reports} new reports, "
        f"{signed_in} report-route heads given the demo password."
    )


# type code, title, period, steps taken: submit, approve, then a destination's decision as
# "accept:<department code>" or "return:<department code>".
REPORTS = [
    ("sales-plan", "2026年12月卷烟销售计划", "2026-12", ["submit", "approve"]),
    # To storage and audit: storage has accepted, audit has still to decide.
    ("quality-inspection-report", "11月成品质量检验报告", "2026-11", ["submit", "approve", "accept:storage"]),  # noqa: E501
    ("quality-inspection-report", "10月成品质量检验报告", "2026-10", ["submit", "approve", "accept:storage", "accept:audit"]),  # noqa: E501
    ("procurement-plan", "一季度辅料采购计划", "2027-Q1", ["submit"]),
    ("procurement-basis-finance-audit", "11月采购评价依据", "2026-11", ["submit", "approve", "return:audit"]),  # noqa: E501
    ("material-demand-plan", "12月材料需求计划", "2026-12", []),
]  # fmt: skip


class RouteHeadLogins:
    """The demo logins of the heads of the departments on the report routes (sources and
    destinations), so that a report can be drafted, approved and accepted or returned at each
    destination from the demo. Read from the directory when listed (after seed_demo): the heads
    are whoever the core's demo data made head."""

    def __iter__(self):
        from portal.permissions import Role

        heads = (
            Department.objects.filter(code__in=ROUTE_DEPARTMENTS, head__isnull=False)
            .select_related("head")
            .order_by("sort_order", "code")
        )
        for department in heads:
            label = f"{Role.DEPARTMENT_HEAD.label} ({department.display_name})"
            yield (label, department.head.employee_number)


DEMO_LOGINS = RouteHeadLogins()


def _route_heads_sign_in() -> int:
    """The heads of the route departments get the demo password (those who have none yet)."""
    heads = User.objects.filter(employee__headed_departments__code__in=ROUTE_DEPARTMENTS).distinct()
    given = 0
    for user in heads:
        if not user.has_usable_password():
            User.objects.filter(pk=user.pk).update(
                password=demo_password_hash(), must_change_password=False
            )
            given += 1
    return given


# Answers to the forms of some demo reports (documents.circulation.report_types.DEFAULT_SCHEMAS).
REPORT_DATA = {
    "sales-plan": {
        "lines": [
            {"brand": "红塔山（硬经典）", "cases": "1200", "amount": "3480000", "note": ""},
            {"brand": "玉溪（软）", "cases": "800", "amount": "4160000", "note": "春节备货"},
        ],
        "total_cases": "2000",
        "remarks": "按各市场部上报需求汇总。",
    },
    "quality-inspection-report": {
        "batch": "CP-2026-11-07",
        "inspected_on": "2026-11-20",
        "conclusion": "pass",
        "pass_rate": "99.2",
        "items": [
            {"item": "含水率", "standard": "12.5±1%", "result": "12.3%"},
            {"item": "吸阻", "standard": "1100±100 Pa", "result": "1085 Pa"},
        ],
    },
}


def _reports(departments) -> int:
    created = 0
    types = {t.code: t for t in ReportType.objects.select_related("source__head__user")}
    for code, title, period, steps in REPORTS:
        report_type = types.get(code)
        if report_type is None or CircularReport.objects.filter(title=title).exists():
            continue
        source = report_type.source
        drafter = (
            Employee.objects.filter(department=source)
            .exclude(pk=source.head_id)
            .select_related("user")
            .order_by("employee_number")
            .first()
        )
        if drafter is None or source.head is None:
            continue
        with transaction.atomic():
            report = circulation.report_create(
                actor=drafter.user,
                report_type=report_type,
                title=title,
                period=period,
                body=f"{title}：详见附表。请审阅。",
                data=REPORT_DATA.get(code, {}),
            )
            for step in steps:
                if step == "submit":
                    report = circulation.report_submit(actor=drafter.user, report=report)
                elif step == "approve":
                    report = circulation.report_approve(actor=source.head.user, report=report)
                else:
                    report = _decide(report, step, departments)
        created += 1
    return created


def _decide(report, step, departments):
    decision, _colon, code = step.partition(":")
    destination = departments.get(code)
    if destination is None or destination.head is None:
        return report
    if decision == "accept":
        return circulation.report_accept(
            actor=destination.head.user, report=report, destination_id=destination.pk
        )
    return circulation.report_return(
        actor=destination.head.user,
        report=report,
        comment="请补充供应商比价材料。",
        destination_id=destination.pk,
    )
