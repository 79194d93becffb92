"""People: the demo departments and logins, then employees and retailer logins up to the scale.

The first `portal.demo.STAFF_COUNT` employees are the demo ones (`seed_demo`); the bench adds
numbers after them. Every bench account is ready to use (no issued password to change) and
shares the demo password, so a person can sign in to look at the data.
"""

import io
import logging

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from bench.generators import generator
from extranet.models import Retailer, RetailerLogin
from portal.demo import (
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    GIVEN,
    STAFF_COUNT,
    SURNAMES,
)
from portal.models import Department, Employee, Position, User
from portal.names import pinyin_initials, pinyin_of
from portal.permissions import Role

logger = logging.getLogger(__name__)

BATCH = 1000
ORDINARY_POSITIONS = ["工程师", "检验员", "技术员", "科员", "操作工"]
STREETS = [
    "湖滨", "西溪", "城东", "运河", "龙井", "文三", "庆春", "延安", "解放", "凤起",
    "武林", "南山", "北山", "之江", "钱江", "黄龙", "古荡", "留下", "三墩", "九堡",
]  # fmt: skip
SHOP_KINDS = ["便利店", "烟酒商行", "超市", "副食店", "烟杂店", "食品店", "百货店"]
# Licence numbers of bench retailers: a district code the demo retailers (330102…) do not use.
LICENCE_PREFIX = "330103"


def _person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2, 2])))


def _user_ids(usernames):
    return dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))


def _add_to_group(user_ids, group):
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=user_id, group_id=group.pk) for user_id in user_ids],
        batch_size=BATCH,
    )


@generator("people")
def people(scale, rng):
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    logger.info(output.getvalue().strip())
    # Hashed once and shared: hashing per user would take minutes at the full scale.
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        _employees(scale, rng, password)
    with transaction.atomic():
        _retailers(scale, rng, password)


def _employees(scale, rng, password):
    if Employee.objects.count() >= scale.employees:
        return
    departments = list(Department.objects.exclude(code="director-office").order_by("code"))
    positions = list(Position.objects.filter(name__in=ORDINARY_POSITIONS).order_by("rank"))
    group = Group.objects.get(name=Role.EMPLOYEE)
    existing = set(Employee.objects.values_list("employee_number", flat=True))
    pending = []
    for index in range(STAFF_COUNT + 1, scale.employees + 1):
        number = f"E{index:05d}"
        # Draw every value even for existing people, so the sequence stays the same.
        name = _person_name(rng)
        department = rng.choice(departments)
        position = rng.choice(positions)
        phone = f"139{rng.randrange(10**8):08d}"
        if number in existing:
            continue
        pending.append((number, name, department, position, phone, index))
    for start in range(0, len(pending), BATCH):
        _create_employees(pending[start : start + BATCH], group, password)
    if pending:
        from portal.directory.selectors import directory_forget

        directory_forget()  # bulk_create sends no signal: the kept head counts are renewed


def _create_employees(rows, group, password):
    users = [
        User(
            username=number,
            email=f"{pinyin_of(name).replace(' ', '')}.{number.lower()}@{EMAIL_DOMAIN}",
            kind=User.Kind.EMPLOYEE,
            must_change_password=False,
            password=password,
        )
        for number, name, *_rest in rows
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    user_ids = _user_ids([user.username for user in users])
    _add_to_group(user_ids.values(), group)
    # bulk_create skips Employee.save(), so the derived pinyin columns are filled in here.
    Employee.objects.bulk_create(
        [
            Employee(
                user_id=user_ids[number],
                employee_number=number,
                name=name,
                name_pinyin=pinyin_of(name),
                name_pinyin_compact=pinyin_of(name).replace(" ", ""),
                name_initials=pinyin_initials(name),
                department=department,
                position=position,
                phone=phone,
                extension=f"{6000 + index}",
                office=f"{department.name} {200 + index % 50}室",
            )
            for number, name, department, position, phone, index in rows
        ],
        batch_size=BATCH,
    )


def _retailers(scale, rng, password):
    existing = set(
        Retailer.objects.filter(licence_number__startswith=LICENCE_PREFIX).values_list(
            "licence_number", flat=True
        )
    )
    if len(existing) >= scale.retailers_with_logins:
        return
    manager = Employee.objects.filter(employee_number="E00007").first()
    group = Group.objects.get(name=Role.RETAILER)
    pending = []
    for index in range(1, scale.retailers_with_logins + 1):
        licence = f"{LICENCE_PREFIX}{index:06d}"
        store = rng.choice(STREETS) + rng.choice(["路", "街", ""]) + rng.choice(SHOP_KINDS)
        representative = _person_name(rng)
        if licence in existing:
            continue
        pending.append((licence, store, representative))
    for start in range(0, len(pending), BATCH):
        rows = pending[start : start + BATCH]
        Retailer.objects.bulk_create(
            [
                Retailer(
                    licence_number=licence,
                    store_name=store,
                    legal_representative=representative,
                    account_manager=manager,
                )
                for licence, store, representative in rows
            ],
            batch_size=BATCH,
        )
        retailer_ids = dict(
            Retailer.objects.filter(licence_number__in=[row[0] for row in rows]).values_list(
                "licence_number", "pk"
            )
        )
        User.objects.bulk_create(
            [
                User(
                    username=licence,
                    kind=User.Kind.RETAILER,
                    must_change_password=False,
                    password=password,
                )
                for licence, *_rest in rows
            ],
            batch_size=BATCH,
        )
        user_ids = _user_ids(list(retailer_ids))
        _add_to_group(user_ids.values(), group)
        RetailerLogin.objects.bulk_create(
            [
                RetailerLogin(user_id=user_ids[licence], retailer_id=retailer_ids[licence])
                for licence in retailer_ids
            ],
            batch_size=BATCH,
        )
