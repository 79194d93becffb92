"""Demo data of the extranet: the demo retailers and their logins, the extranet's information
pages, delivery routes, brands and products with stock, allocations and sales policies, the
retailers' profiles and a few weeks of their orders. Idempotent."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from extranet.crm.services import grades_recompute, retailer_create, retailer_login_create
from extranet.models import (
    Allocation,
    Brand,
    DeliveryRoute,
    ExtranetHomePage,
    Order,
    Product,
    Retailer,
    SalesPolicy,
    Stock,
)
from extranet.ordering.services import order_mark_paid, order_place, orders_advance
from portal.demo import demo_password_hash, information_pages_add
from portal.models import Employee, User
from portal.permissions import Role

RETAILERS = [
    ("330102100001", "湖滨便利店", "郑小燕", ["330102100001", "330102100001-2"]),
    ("330102100002", "西溪烟酒商行", "冯大海", ["330102100002"]),
    ("330102100003", "城东副食店", "邓美玲", ["330102100003"]),
    ("330102100004", "运河超市", "曹宏伟", ["330102100004"]),
    ("330102100005", "龙井路烟杂店", "彭永", ["330102100005"]),
]

# (role label, login) of the retailers' demo login, for `demo_logins`.
DEMO_LOGINS = [(Role.RETAILER.label, RETAILERS[0][0])]

EXTRANET_PAGES = [
    (
        "ordering-guide",
        "网上订货须知",
        "<p>请在本户的订货日当天（00:00 至 23:59）登录订货，货物于随后的送货日送达。"
        "紧俏品牌按客户档位分配货源，"
        "信用结算客户的订单金额不得超过信用额度。订单提交后可在“订单”中查看状态。</p>",
    ),
]

ROUTES = [("R01", "西湖线", "李师傅"), ("R02", "上城线", "王师傅"), ("R03", "拱墅线", "赵师傅")]

# brand, name, code, barcode, pack, tar, nicotine, CO, wholesale, retail, status, scarce, stock
PRODUCTS = [
    ("利群", "新版", "LQ001", "6901028075831", "hard", "10", "1.0", "11", "200", "250",
     "on_sale", False, 5000),
    ("利群", "软红长嘴", "LQ002", "6901028075848", "soft", "11", "1.1", "12", "320", "380",
     "on_sale", False, 3000),
    ("利群", "休闲云端", "LQ003", "6901028075855", "hard", "8", "0.8", "9", "850", "1000",
     "new", True, 400),
    ("中华", "硬", "ZH001", "6901028001915", "hard", "11", "1.0", "12", "380", "450",
     "on_sale", True, 800),
    ("中华", "软", "ZH002", "6901028001922", "soft", "11", "1.0", "12", "590", "700",
     "on_sale", True, 150),
    ("玉溪", "软", "YX001", "6901028042277", "soft", "10", "1.0", "11", "200", "230",
     "on_sale", False, 6000),
    ("玉溪", "细支", "YX002", "6901028042284", "slim", "6", "0.6", "7", "260", "300",
     "new", False, 120),
    ("黄鹤楼", "硬金砂", "HHL01", "6901028315418", "hard", "10", "1.0", "11", "160", "190",
     "on_sale", False, 4000),
    ("芙蓉王", "硬", "FRW01", "6901028121422", "hard", "11", "1.1", "12", "220", "260",
     "on_sale", False, 0),
    ("芙蓉王", "蓝", "FRW02", "6901028121439", "hard", "10", "1.0", "11", "150", "180",
     "discontinued", False, 0),
]  # fmt: skip

ALLOCATIONS = {"LQ003": [2, 2, 2, 1, 1, 1, 0, 0], "ZH001": [20, 15, 10, 8, 6, 4, 2, 1],
               "ZH002": [6, 5, 4, 3, 2, 1, 1, 0]}  # fmt: skip

# licence → order day (0 = Monday), route, region, settlement, credit limit
PROFILES = {
    "330102100001": (2, "R01", "西湖区", "credit", "20000"),
    "330102100002": (2, "R01", "西湖区", "cash", "0"),
    "330102100003": (3, "R02", "上城区", "cash", "0"),
    "330102100004": (4, "R03", "拱墅区", "credit", "50000"),
    "330102100005": (4, "R03", "拱墅区", "cash", "0"),
}


def seed(*, stdout):
    with transaction.atomic():
        retailers = _retailers()
        information_pages_add(ExtranetHomePage, EXTRANET_PAGES)
    with transaction.atomic():
        routes = {
            code: DeliveryRoute.objects.get_or_create(
                code=code, defaults={"name": name, "delivery_staff": staff}
            )[0]
            for code, name, staff in ROUTES
        }
        products = _products()
        _profiles(routes)
    created = _orders(products)
    grades_recompute()
    _feedback()
    from extranet.market.demo import seed as market_seed

    market_seed(licence_numbers=list(PROFILES))
    _surveys()
    visits = _visits()
    stdout.write(
        f"Extranet demo: {Retailer.objects.count()} retailers ({retailers} new), "
        f"{len(products)} products, {Order.objects.count()} orders ({created} new), "
        f"{visits} visits planned or recorded."
    )


def _retailers():
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
                    password=demo_password_hash(), must_change_password=False
                )
    return created


def _products():
    products = {}
    for row in PRODUCTS:
        brand_name, name, code, barcode, pack, tar, nicotine, co = row[:8]
        wholesale, retail, status, scarce, stock = row[8:]
        brand, _created = Brand.objects.get_or_create(name=brand_name)
        product, created = Product.objects.get_or_create(
            code=code,
            defaults={
                "brand": brand,
                "name": name,
                "barcode": barcode,
                "pack_type": pack,
                "tar_mg": Decimal(tar),
                "nicotine_mg": Decimal(nicotine),
                "carbon_monoxide_mg": Decimal(co),
                "wholesale_price": Decimal(wholesale),
                "retail_price": Decimal(retail),
                "status": status,
                "is_scarce": scarce,
                "launched_on": date(2026, 10, 1) if status == "new" else None,
                "description": f"{brand_name}（{name}），每条 10 包，每包 20 支。",
            },
        )
        if created:
            Stock.objects.create(product=product, available=stock)
            SalesPolicy.objects.create(
                product=product,
                title=f"{brand_name}{name} 订货政策",
                body="<p>按档位限量供应，请在订货周期内订购。</p>"
                if scarce
                else "<p>正常供应，按需订购。</p>",
                valid_from=date(2026, 1, 1),
            )
        for grade, cartons in enumerate(ALLOCATIONS.get(code, []), start=1):
            Allocation.objects.get_or_create(
                product=product, grade=grade, defaults={"cartons": cartons}
            )
        products[code] = product
    return products


# licence → the items of source 002 beyond the ordering ones: nature, registered capital,
# display form, order frequency, network size, compliance, annual review (month, day),
# business characteristics, mailing address
INFORMATION = {
    "330102100001": ("individual", "50000", "cabinet", "weekly", "medium", "clean", (3, 15),
                     "24 小时营业，湖滨景区游客多，中高档烟为主", "杭州市西湖区湖滨路 12 号"),
    "330102100002": ("enterprise", "200000", "back_wall", "weekly", "large", "clean", (4, 10),
                     "烟酒礼品店，整条销售多", "杭州市西湖区西溪路 88 号"),
    "330102100003": ("individual", "30000", "counter", "fortnightly", "small", "warned", (5, 20),
                     "社区副食店，老顾客为主", "杭州市上城区城东路 5 号"),
    "330102100004": ("chain", "1000000", "shelf", "twice_weekly", "large", "clean", (6, 1),
                     "连锁超市门店，客流大，品规齐全", "杭州市拱墅区运河路 200 号"),
    "330102100005": ("individual", "20000", "counter", "weekly", "small", "clean", (9, 30),
                     "路口烟杂店，低价烟走量", "杭州市拱墅区龙井路 3 号"),
}  # fmt: skip


def _profiles(routes):
    for licence, (day, route, region, settlement, credit) in PROFILES.items():
        Retailer.objects.filter(licence_number=licence, order_day__isnull=True).update(
            order_day=day,
            route=routes[route],
            region=region,
            settlement=settlement,
            credit_limit=Decimal(credit),
            business_area="城区",
            customer_since=date(2019, 3, 1),
        )
    year = timezone.localdate().year
    for licence, row in INFORMATION.items():
        nature, capital, display, frequency, size, compliance, review, traits, mail = row
        retailer = Retailer.objects.filter(licence_number=licence, customer_nature="").first()
        if retailer is None:
            continue
        Retailer.objects.filter(pk=retailer.pk).update(
            customer_nature=nature,
            registered_capital=Decimal(capital),
            display_form=display,
            phone_order_staff="孙丽（电话订货）",
            delivery_section=f"第 {licence[-1]} 站",
            order_batch=f"第{int(licence[-1]) % 2 + 1}批",
            visit_batch=f"周{'一二三四五'[int(licence[-1]) % 5]}",
            order_frequency=frequency,
            network_size=size,
            visit_cycle="fortnightly" if frequency == "fortnightly" else "weekly",
            licence_type="零售",
            compliance=compliance,
            licensing_bureau="杭州市烟草专卖局",
            monopoly_administrator="钱建国",
            customer_class="城镇·便利店" if nature != "chain" else "城镇·超市",
            licence_issued_on=date(2022, review[0], review[1]),
            licence_expires_on=date(2027, review[0], review[1]),
            annual_review_on=date(year, review[0], review[1]),
            business_characteristics=traits,
            district_environment="商业区" if size == "large" else "居民区",
            contact_name=retailer.legal_representative,
            contact_phone=f"1390571{licence[-4:]}",
            address=mail,
            mailing_address=mail,
        )


def _orders(products):
    """Four past weekly orders per demo retailer, placed through order_place inside each
    week's window, then delivered."""
    created = 0
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    plain = [products["LQ001"], products["YX001"], products["HHL01"], products["LQ002"]]
    for index, retailer in enumerate(
        Retailer.objects.filter(licence_number__in=list(PROFILES)).order_by("licence_number")
    ):
        for weeks_ago in range(4, 0, -1):
            key = f"demo-{retailer.licence_number}-{weeks_ago}"
            if Order.objects.filter(retailer=retailer, idempotency_key=key).exists():
                continue
            cycle = today - timedelta(days=7 * weeks_ago + (today.weekday() - retailer.order_day))
            # The store orders on its order day (rules.order_window).
            placed = datetime.combine(cycle, time(10, index), zone)
            lines = [
                (plain[(index + weeks_ago) % len(plain)].pk, 20 + 10 * index),
                (plain[(index + weeks_ago + 1) % len(plain)].pk, 10 + 5 * weeks_ago),
                (products["ZH001"].pk, 1),
            ]
            order = order_place(retailer=retailer, lines=lines, idempotency_key=key, now=placed)
            for status in ("submitted", "confirmed", "picking", "out_for_delivery"):
                orders_advance(order_ids=[order.pk], from_status=status, actor=None, now=placed)
            if retailer.settlement == "credit":
                order_mark_paid(order=order, actor=None, now=placed)
            created += 1
    return created


FEEDBACK = [
    ("complaint", "上周送货比约定晚了一天，希望能准时。", 30, "phone", "已致歉并调整配送顺序。"),
    ("suggestion", "希望增加周末订货时段。", 6, None, None),
]


def _feedback():
    """Per demo retailer with an account manager: one complaint called back and resolved a
    month ago, one suggestion submitted a few hours ago (awaiting its call-back)."""
    from extranet.feedback.services import (
        feedback_callback_record,
        feedback_resolve,
        feedback_submit,
    )
    from extranet.models import Feedback

    now = timezone.now()
    retailers = Retailer.objects.filter(
        licence_number__in=list(PROFILES), account_manager__isnull=False
    ).order_by("licence_number")
    for retailer in retailers:
        if Feedback.objects.filter(retailer=retailer).exists():
            continue
        for kind, text, hours_ago, method, summary in FEEDBACK:
            submitted = now - timedelta(hours=hours_ago * (24 if method else 1))
            item = feedback_submit(
                retailer=retailer, user=None, kind=kind, text=text, now=submitted
            )
            if method:
                actor = retailer.account_manager.user
                called = submitted + timedelta(hours=3)
                feedback_callback_record(
                    feedback=item,
                    actor=actor,
                    called_at=called,
                    method=method,
                    summary=summary,
                    now=called,
                )
                feedback_resolve(feedback=item, actor=actor, resolution=summary, now=called)


def _surveys():
    """One open survey for all retailers, answered by three demo retailers (the others see it
    on their home page); idempotent (by title)."""
    from extranet.surveys.models import Survey
    from extranet.surveys.services import question_add, response_save, survey_create, survey_publish

    title = "门店经营情况调查"
    if Survey.objects.filter(title=title).exists():
        return
    now = timezone.now()
    survey = survey_create(
        actor=None,
        title=title,
        introduction="为了更好地服务零售客户，请花两分钟回答以下问题。",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=28),
    )
    taste = question_add(
        survey=survey,
        actor=None,
        kind="single",
        text="新品口味如何？",
        choices=["好", "一般", "差"],
    )
    brands = question_add(
        survey=survey,
        actor=None,
        kind="multiple",
        text="最畅销的品牌（最多选两个）",
        choices=["利群", "中华", "玉溪", "黄鹤楼"],
        max_choices=2,
    )
    service = question_add(survey=survey, actor=None, kind="rating", text="对配送服务的满意度")
    ideas = question_add(
        survey=survey, actor=None, kind="long_text", text="其他意见和建议", required=False
    )
    survey = survey_publish(survey=survey, actor=None)
    retailers = list(Retailer.objects.filter(licence_number__in=list(PROFILES)).order_by("pk"))
    for index, retailer in enumerate(retailers[:3]):
        labels = [["好"], ["一般"], ["好"]][index]
        values = {
            taste.pk: str(taste.choices.get(label=labels[0]).pk),
            brands.pk: [str(pk) for pk in brands.choices.values_list("pk", flat=True)[:2]],
            service.pk: str(5 - index),
            ideas.pk: ["希望增加周末配送。", "", "新品宣传物料不够。"][index],
        }
        response_save(survey=survey, retailer=retailer, user=None, values=values, submit=True)


VISITS = [
    # (days ago, way, content, outcome, next step)
    (8, "visit", "检查价签和陈列，介绍利群新品。", "店主愿意试销休闲云端 2 条。",
     "下周回访新品动销。"),
    (5, "phone", "提醒本周订货日，确认中华货源。", "已按档位预订。", ""),
    (12, "wechat", "推送新品宣传物料。", "店主已张贴海报。", "拜访时拍照确认。"),
]  # fmt: skip


def _visits():
    """A few recorded contacts of the demo account manager over the last two weeks, and this
    week's plan (visits_plan_week); idempotent: nothing is added once the demo stores have a
    contact."""
    from extranet.crm.visits import visit_record, visits_plan_week
    from extranet.models import Visit

    retailers = list(
        Retailer.objects.filter(licence_number__in=list(PROFILES), account_manager__isnull=False)
        .select_related("account_manager__user")
        .order_by("licence_number")
    )
    if not retailers or Visit.objects.filter(retailer__in=retailers).exists():
        return 0
    now = timezone.now()
    count = 0
    for retailer, (days, way, content, outcome, step) in zip(retailers, VISITS, strict=False):
        done = now - timedelta(days=days)
        visit_record(
            retailer=retailer,
            actor=retailer.account_manager.user,
            done_at=done,
            way=way,
            place=retailer.address if way == "visit" else "",
            content=content,
            outcome=outcome,
            next_step=step,
            next_on=timezone.localdate(done) + timedelta(days=7) if step else None,
            now=now,
        )
        count += 1
    manager = retailers[0].account_manager
    count += visits_plan_week(manager=manager, actor=manager.user)
    return count
