"""Demo data of the core: the factory's departments and positions, about 200 staff, one login
per role, and the intranet's information pages. Deterministic (a fixed random seed) and
idempotent: seeding again changes nothing.

`seed_demo` runs this first (the portal is the first installed app), then every other app's
`demo` module, so the people exist when the apps' demo data is made.
"""

import functools
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from portal.models import Department, Employee, InformationPage, IntranetHomePage, Position, User
from portal.names import pinyin_of
from portal.permissions import Role
from portal.services import employee_create, roles_sync

DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 (the documented demo password)
EMAIL_DOMAIN = "factory.example.com"

DEPARTMENTS = [
    # code, Chinese, English, sections
    ("director-office", "厂长办公室", "Factory Director's Office", []),
    ("planning", "综合计划科", "Comprehensive Planning Section", []),
    ("sales", "销售科", "Sales", [("sales-market", "市场部", "Market Department")]),
    (
        "production",
        "生产科",
        "Production",
        [
            ("production-primary", "制丝车间", "Primary Processing Workshop"),
            ("production-rolling", "卷包车间", "Rolling and Packing Workshop"),
        ],
    ),
    ("purchasing", "采购科", "Purchasing", []),
    ("quality", "质检科", "Quality Inspection", [("quality-lab", "理化检验室", "Laboratory")]),
    ("storage", "储运科", "Storage", []),
    ("finance", "财务科", "Finance", []),
    ("audit", "审计科", "Audit", []),
    ("enterprise-management", "企业管理办公室", "Enterprise Management Office", []),
    ("computer-center", "计算机中心", "Computer Center", []),
]

POSITIONS = [
    # key, Chinese, English, rank
    ("director", "厂长", "Factory Director", 1),
    ("deputy-director", "副厂长", "Deputy Director", 2),
    ("head", "科长", "Head of Department", 10),
    ("deputy-head", "副科长", "Deputy Head", 11),
    ("engineer", "工程师", "Engineer", 30),
    ("account-manager", "客户经理", "Account Manager", 35),
    ("inspector", "检验员", "Inspector", 40),
    ("technician", "技术员", "Technician", 45),
    ("clerk", "科员", "Clerk", 50),
    ("operator", "操作工", "Operator", 60),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鑫晨欣怡佳雪琳"

# Demo logins, one per role (employee number, name, department, position, roles, superuser).
ROLE_USERS = [
    ("E00001", "周建国", "computer-center", "head", [Role.SYSTEM_ADMINISTRATOR], True),
    ("E00002", "王志强", "quality", "head", [Role.DEPARTMENT_HEAD], False),
    ("E00003", "李秀英", "director-office", "clerk", [Role.DOCUMENT_MANAGER], False),
    ("E00004", "陈晓明", "computer-center", "engineer", [Role.KNOWLEDGE_EDITOR], False),
    ("E00005", "刘海涛", "enterprise-management", "clerk", [Role.FORUM_MODERATOR], False),
    ("E00006", "赵文静", "audit", "head", [Role.IDENTITY_AUDITOR], False),
    ("E00007", "孙丽华", "sales", "account-manager", [Role.ACCOUNT_MANAGER], False),
    ("E00008", "吴国平", "sales", "deputy-head", [Role.SALES_ADMINISTRATOR], False),
    ("E00009", "张伟", "production-rolling", "operator", [], False),
]

INTRANET_PAGES = [
    (
        "portal-guide",
        "门户使用说明",
        "<p>工厂门户汇集通讯录、部门公告、论坛、知识库和制度文件。"
        "在页面顶部的搜索框输入同事姓名、拼音或首字母（如 zw）即可查找同事。</p>"
        "<p>忘记密码时，在登录页点击“忘记密码？”，系统会向您的工作邮箱发送重置链接。</p>",
    ),
    (
        "equipment-maintenance-rules",
        "设备的维护与保养规定",
        "<p>卷接机组每班结束后进行清洁；每周由设备科对关键部件进行检查与维护，"
        "发现异常及时报修并记录。</p>",
    ),
]
STAFF_COUNT = 200

# (role label, login) of each role's demo login, for `demo_logins`.
DEMO_LOGINS = [
    (role.label, number)
    for number, _n, _d, _p, roles, _s in ROLE_USERS
    for role in (roles or [Role.EMPLOYEE])
]


@functools.cache
def demo_password_hash() -> str:
    """Every demo login shares the one password; hashing is deliberately slow, so once."""
    return make_password(DEMO_PASSWORD)


def seed(*, stdout):
    roles_sync()
    with transaction.atomic():
        departments = _departments()
        positions = _positions()
        created = _role_users(departments, positions)
        created += _staff(departments, positions)
        _heads(departments, positions)
        information_pages_add(IntranetHomePage, INTRANET_PAGES)
    stdout.write(
        f"People ready: {Department.objects.count()} departments, "
        f"{Employee.objects.count()} employees ({created} new)."
    )


def information_pages_add(home_model, pages):
    """Information pages (slug, title, body) under the face's home page, so that search has
    pages to find; those whose slug exists are left alone."""
    home = home_model.objects.first()
    if home is None:
        return
    for slug, title, body in pages:
        if not InformationPage.objects.filter(slug=slug).exists():
            home.add_child(instance=InformationPage(title=title, slug=slug, body=body))


def _departments():
    departments = {}
    for order, (code, name, name_en, sections) in enumerate(DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 10}
        )
        departments[code] = department
        for offset, (section_code, section_name, section_en) in enumerate(sections, start=1):
            departments[section_code], _ = Department.objects.get_or_create(
                code=section_code,
                defaults={
                    "name": section_name,
                    "name_en": section_en,
                    "parent": department,
                    "sort_order": order * 10 + offset,
                },
            )
    return departments


def _positions():
    positions = {}
    for key, name, name_en, rank in POSITIONS:
        positions[key], _ = Position.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "rank": rank}
        )
    return positions


def _email_for(name, number):
    local = pinyin_of(name).replace(" ", "")
    candidate = f"{local}@{EMAIL_DOMAIN}"
    if User.objects.filter(email=candidate).exists():
        candidate = f"{local}.{number.lower()}@{EMAIL_DOMAIN}"
    return candidate


def _role_users(departments, positions):
    created = 0
    for number, name, department, position, roles, superuser in ROLE_USERS:
        if Employee.objects.filter(employee_number=number).exists():
            continue
        employee = employee_create(
            employee_number=number,
            name=name,
            department=departments[department],
            position=positions[position],
            email=_email_for(name, number),
            phone=f"0571-8800{int(number[1:]):04d}",
            extension=f"8{int(number[1:]):03d}",
            office=f"{departments[department].name} {100 + int(number[1:])}室",
            roles=tuple(roles),
        )
        User.objects.filter(pk=employee.user_id).update(
            password=demo_password_hash(),
            must_change_password=False,
            is_superuser=superuser,
            is_staff=superuser,
        )
        created += 1
    return created


def _staff(departments, positions):
    rng = random.Random(2026)  # noqa: S311 (a fixed seed: the same demo staff every time)
    codes = [code for code in departments if code not in {"director-office"}]
    ordinary = ["engineer", "inspector", "technician", "clerk", "operator"]
    created = 0
    for index in range(len(ROLE_USERS) + 1, STAFF_COUNT + 1):
        number = f"E{index:05d}"
        # Draw every value even for existing people, so the sequence stays the same.
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2, 2])))
        department = departments[rng.choice(codes)]
        position = positions[rng.choice(ordinary)]
        phone = f"138{rng.randrange(10**8):08d}"
        if Employee.objects.filter(employee_number=number).exists():
            continue
        employee_create(
            employee_number=number,
            name=name,
            department=department,
            position=position,
            email=_email_for(name, number),
            phone=phone,
            extension=f"{6000 + index}",
            office=f"{department.name} {200 + index % 50}室",
        )
        created += 1
    return created


def _heads(departments, positions):
    """Every department without a head gets its most senior member as head."""
    head_group = Group.objects.get(name=Role.DEPARTMENT_HEAD)
    quality_head = Employee.objects.get(employee_number="E00002")
    for department in departments.values():
        if department.head_id:
            continue
        if department.code == "quality":
            head = quality_head
        else:
            head = (
                Employee.objects.filter(department=department)
                .order_by("position__rank", "employee_number")
                .first()
            )
        if head is None:
            continue
        if department.parent_id is None and head.position_id != positions["head"].pk:
            head.position = positions["head"]
            head.save(update_fields=["position"])
        head.user.groups.add(head_group)
        department.head = head
        department.save(update_fields=["head"])
