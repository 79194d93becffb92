"""Time the market analysis dashboards in-process (issue 9: each under 500 ms at the benchmark
data size).

    .venv/bin/python -m bench.market_dashboards [--scale small|full] [--repeat 5] [--keepdb]

Runs against a throw-away test database (SQLite by default; PostgreSQL when DATABASE_URL points
at it; `--keepdb` keeps it and its data for the next run), fills it with the generators the
dashboards read (people, retailers, orders, feedback, market) at the scale, rebuilds the monthly
sales summary (as the worker keeps it), then requests each dashboard page as a sales
administrator with the default filters (the last twelve months, all regions) `--repeat` times,
and reports the median and the worst time per page (query counts are checked by the tests).
"""

import argparse
import os
import random
import statistics
import sys
import time
import zlib

TARGET_MS = 500.0
GENERATORS = ["people", "retailers", "orders", "feedback", "market"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep the test database (and its generated data) for the next run",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keepdb
    )
    try:
        return _run(args, settings, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keepdb)


def _run(args, settings, connection) -> int:
    from django.db import reset_queries
    from django.test import Client

    from bench.generators import load_generators
    from bench.scales import SCALES
    from extranet.market.dashboards import dashboard_slugs
    from portal.models import Employee, User
    from portal.permissions import Role

    scale = SCALES[args.scale]
    generators = load_generators()
    for name in GENERATORS:
        started = time.perf_counter()
        generators[name](scale, random.Random(zlib.crc32(name.encode())))
        print(f"generated {name}: {time.perf_counter() - started:.1f} s", flush=True)
    # The sales summary is rebuilt by the orders generator (as the nightly job would).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from django.contrib.auth.models import Group

    user, _created = User.objects.get_or_create(
        username="bench-analyst",
        defaults={"kind": User.Kind.EMPLOYEE, "must_change_password": False},
    )
    from portal.models import Department

    Employee.objects.get_or_create(
        user=user,
        defaults={
            "employee_number": "BA0001",
            "name": "分析员",
            "department": Department.objects.first(),
        },
    )
    user.groups.add(Group.objects.get_or_create(name=Role.SALES_ADMINISTRATOR)[0])
    from django.test.utils import override_settings

    # The intranet face, as tests' set_face does (the signal clears the URL resolver's cache).
    override_settings(
        PORTAL_FACE="intranet",
        ROOT_URLCONF=settings.PORTAL_URLCONFS["intranet"],
        ALLOWED_HOSTS=["*"],
    ).enable()
    client = Client()
    client.force_login(user)
    from extranet.models import OrderLine, Retailer

    print(f"{Retailer.objects.count()} retailers, {OrderLine.objects.count()} order lines")
    worst = 0.0
    for slug in dashboard_slugs():
        url = f"/sales/analysis/{slug}/"
        first = client.get(url)
        if first.status_code != 200:
            raise RuntimeError(f"{url} answered {first.status_code} {first.get('Location', '')}")
        times = []
        for _ in range(args.repeat):
            reset_queries()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        median, top = statistics.median(times), max(times)
        worst = max(worst, median)
        print(f"{slug:10s} median {median:7.1f} ms  max {top:7.1f} ms")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
