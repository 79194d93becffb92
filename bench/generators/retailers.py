"""Retailers (CRM) and the catalogue: delivery routes, brands and products with stock and
allocations, then retailers up to `scale.retailers` with profiles (order day, route, region,
grade). The retailers with bench logins (bench.generators.people) get profiles too."""

from decimal import Decimal

from django.db import transaction

from bench.generators import generator
from bench.generators.people import SHOP_KINDS, STREETS, _person_name
from extranet.models import Allocation, Brand, DeliveryRoute, Product, Retailer, Stock

BATCH = 1000
LICENCE_PREFIX = "330104"
BRANDS = ["利群", "中华", "玉溪", "黄鹤楼", "芙蓉王", "红塔山", "云烟", "南京", "苏烟", "白沙"]
VARIANTS = ["硬", "软", "细支", "新版", "金", "蓝"]
REGIONS = ["西湖区", "上城区", "拱墅区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区"]
ROUTES = 40
# The bench's scarce products (the ordering benchmark races for them).
SCARCE_CODES = {"B0101", "B0102", "B0201"}


@generator("retailers")
def retailers(scale, rng):
    with transaction.atomic():
        routes = _routes()
        _catalogue(rng)
    _retailers(scale, rng, routes)


def _routes():
    existing = set(DeliveryRoute.objects.values_list("code", flat=True))
    DeliveryRoute.objects.bulk_create(
        [
            DeliveryRoute(code=f"B{n:02d}", name=f"配送{n}线", delivery_staff=f"司机{n}")
            for n in range(1, ROUTES + 1)
            if f"B{n:02d}" not in existing
        ]
    )
    return list(DeliveryRoute.objects.filter(code__startswith="B").order_by("code"))


def _catalogue(rng):
    if Product.objects.filter(code__startswith="B").exists():
        return
    products = []
    for brand_index, name in enumerate(BRANDS, start=1):
        brand, _created = Brand.objects.get_or_create(name=name)
        for variant_index, variant in enumerate(VARIANTS, start=1):
            code = f"B{brand_index:02d}{variant_index:02d}"
            price = Decimal(rng.choice([150, 180, 200, 230, 260, 300, 380, 450, 590]))
            products.append(
                Product(
                    brand=brand,
                    name=variant,
                    code=code,
                    barcode=f"69019{brand_index:02d}{variant_index:02d}0000",
                    pack_type=rng.choice(["hard", "soft", "slim"]),
                    tar_mg=Decimal(rng.choice(["6", "8", "10", "11"])),
                    nicotine_mg=Decimal(rng.choice(["0.6", "0.8", "1.0", "1.1"])),
                    carbon_monoxide_mg=Decimal(rng.choice(["7", "9", "11", "12"])),
                    wholesale_price=price,
                    retail_price=price * Decimal("1.2"),
                    status="new" if variant_index == 6 else "on_sale",
                    is_scarce=code in SCARCE_CODES,
                    description=f"{name}（{variant}）",
                )
            )
    Product.objects.bulk_create(products)
    created = list(Product.objects.filter(code__startswith="B"))
    Stock.objects.bulk_create(
        [
            Stock(product=product, available=5_000 if product.is_scarce else 10_000_000)
            for product in created
        ]
    )
    Allocation.objects.bulk_create(
        [
            Allocation(product=product, grade=grade, cartons=max(1, 12 - grade))
            for product in created
            if product.is_scarce
            for grade in range(1, 9)
        ]
    )


def _profile(rng, routes):
    return {
        "order_day": rng.randrange(7),
        "route": rng.choice(routes),
        "region": rng.choice(REGIONS),
        "grade": rng.choices(range(1, 9), weights=[1, 2, 4, 8, 12, 14, 10, 6])[0],
        "support_score": rng.randrange(11),
        "influence_score": rng.randrange(11),
        "integrity_level": rng.randrange(1, 6),
        "settlement": "credit" if rng.random() < 0.2 else "cash",
        "credit_limit": Decimal(rng.choice([0, 20_000, 50_000, 100_000])),
    }


def _retailers(scale, rng, routes):
    # Bench-login retailers (from the people generator) get a profile once.
    with transaction.atomic():
        unprofiled = list(
            Retailer.objects.filter(order_day__isnull=True, licence_number__startswith="330103")
        )
        for retailer in unprofiled:
            for name, value in _profile(rng, routes).items():
                setattr(retailer, name, value)
        fields = list(_profile(rng, routes))
        Retailer.objects.bulk_update(unprofiled, fields, batch_size=BATCH)
    existing = set(
        Retailer.objects.filter(licence_number__startswith=LICENCE_PREFIX).values_list(
            "licence_number", flat=True
        )
    )
    wanted = (
        scale.retailers
        - Retailer.objects.exclude(licence_number__startswith=LICENCE_PREFIX).count()
    )
    pending = []
    for index in range(1, max(wanted, 0) + 1):
        licence = f"{LICENCE_PREFIX}{index:06d}"
        store = rng.choice(STREETS) + rng.choice(["路", "街", ""]) + rng.choice(SHOP_KINDS)
        representative = _person_name(rng)
        profile = _profile(rng, routes)
        if licence in existing:
            continue
        pending.append(
            Retailer(
                licence_number=licence,
                store_name=store,
                legal_representative=representative,
                **profile,
            )
        )
    for start in range(0, len(pending), BATCH):
        with transaction.atomic():
            Retailer.objects.bulk_create(pending[start : start + BATCH])
