"""Demo data: the factory's departments, about 200 staff, one login per role and a few retailers.

Deterministic (a fixed random seed) and idempotent: running it again changes nothing.
"""

import importlib
import importlib.util
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from extranet.models import Retailer
from extranet.services import retailer_create, retailer_login_create
from portal.models import Department, Employee, Position, User
from portal.names import pinyin_of
from portal.permissions import Role
from portal.services import employee_create, roles_sync

DEMO_PASSWORD = "portal-demo-2026"
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

RETAILERS = [
    ("330102100001", "湖滨便利店", "郑小燕", ["330102100001", "330102100001-2"]),
    ("330102100002", "西溪烟酒商行", "冯大海", ["330102100002"]),
    ("330102100003", "城东副食店", "邓美玲", ["330102100003"]),
    ("330102100004", "运河超市", "曹宏伟", ["330102100004"]),
    ("330102100005", "龙井路烟杂店", "彭永", ["330102100005"]),
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
EXTRANET_PAGES = [
    (
        "ordering-guide",
        "网上订货须知",
        "<p>请在本户的订货周期内登录订货。紧俏品牌按客户档位分配货源，"
        "信用结算客户的订单金额不得超过信用额度。订单提交后可在“订单”中查看状态。</p>",
    ),
]

STAFF_COUNT = 200

FEATURE_DEMO_APPS = ["portal", "bulletins", "forum", "knowledge", "documents", "extranet"]


def demo_logins():
    """(role label, login, password) for the README and `make run`."""
    rows = [
        (str(role.label), number)
        for number, _n, _d, _p, roles, _s in ROLE_USERS
        for role in (roles or [Role.EMPLOYEE])
    ]
    rows.append((str(Role.RETAILER.label), RETAILERS[0][0]))
    return [(label, login, DEMO_PASSWORD) for label, login in rows]


class Command(BaseCommand):
    help = "Create the demo departments, staff, role logins and retailers (idempotent)."

    def handle(self, *args, **options):
        # Hashing is deliberately slow; every demo login shares the one password.
        self.demo_password_hash = make_password(DEMO_PASSWORD)
        roles_sync()
        with transaction.atomic():
            departments = self._departments()
            positions = self._positions()
            created = self._role_users(departments, positions)
            created += self._staff(departments, positions)
            self._heads(departments, positions)
            retailers = self._retailers()
            self._pages()
        # Each feature app adds its demo data in its own `<app>/demo.py`: a `seed(*, stdout)`
        # function, idempotent like this command, run after the people exist.
        for app in FEATURE_DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo") is not None:
                importlib.import_module(f"{app}.demo").seed(stdout=self.stdout)
        self.stdout.write(
            f"Demo data ready: {Department.objects.count()} departments, "
            f"{Employee.objects.count()} employees ({created} new), "
            f"{Retailer.objects.count()} retailers ({retailers} new)."
        )

    def _departments(self):
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

    def _positions(self):
        positions = {}
        for key, name, name_en, rank in POSITIONS:
            positions[key], _ = Position.objects.get_or_create(
                name=name, defaults={"name_en": name_en, "rank": rank}
            )
        return positions

    def _email_for(self, name, number):
        local = pinyin_of(name).replace(" ", "")
        candidate = f"{local}@{EMAIL_DOMAIN}"
        if User.objects.filter(email=candidate).exists():
            candidate = f"{local}.{number.lower()}@{EMAIL_DOMAIN}"
        return candidate

    def _role_users(self, departments, positions):
        created = 0
        for number, name, department, position, roles, superuser in ROLE_USERS:
            if Employee.objects.filter(employee_number=number).exists():
                continue
            employee = employee_create(
                employee_number=number,
                name=name,
                department=departments[department],
                position=positions[position],
                email=self._email_for(name, number),
                phone=f"0571-8800{int(number[1:]):04d}",
                extension=f"8{int(number[1:]):03d}",
                office=f"{departments[department].name} {100 + int(number[1:])}室",
                roles=tuple(roles),
            )
            User.objects.filter(pk=employee.user_id).update(
                password=self.demo_password_hash,
                must_change_password=False,
                is_superuser=superuser,
                is_staff=superuser,
            )
            created += 1
        return created

    def _staff(self, departments, positions):
        rng = random.Random(2026)
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
                email=self._email_for(name, number),
                phone=phone,
                extension=f"{6000 + index}",
                office=f"{department.name} {200 + index % 50}室",
            )
            created += 1
        return created

    def _heads(self, departments, positions):
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

    def _pages(self):
        """A few information pages on each face, so that search has pages to find."""
        from extranet.models import ExtranetHomePage
        from portal.models import InformationPage, IntranetHomePage

        for home_model, pages in (
            (IntranetHomePage, INTRANET_PAGES),
            (ExtranetHomePage, EXTRANET_PAGES),
        ):
            home = home_model.objects.first()
            if home is None:
                continue
            for slug, title, body in pages:
                if not InformationPage.objects.filter(slug=slug).exists():
                    home.add_child(instance=InformationPage(title=title, slug=slug, body=body))

    def _retailers(self):
        manager = Employee.objects.get(employee_number="E00007")
        created = 0
        for licence, store, representative, logins in RETAILERS:
            retailer = Retailer.objects.filter(licence_number=licence).first()
            if retailer is None:
                retailer = retailer_create(
                    licence_number=licence,
                    store_name=store,
                    legal_representative=representative,
                    account_manager=manager,
                )
                created += 1
            for username in logins:
                if not User.objects.filter(username=username).exists():
                    user = retailer_login_create(retailer=retailer, username=username)
                    User.objects.filter(pk=user.pk).update(
                        password=self.demo_password_hash, must_change_password=False
                    )
        return created
