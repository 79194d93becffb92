"""Time the intranet home page in-process (Django test client) against the trivial reference
view, at the bench's data size for the bulletins' notices.

    .venv/bin/python -m bench.home_page [--scale full] [--repeat 200]

Runs against a throw-away test database (SQLite by default), runs the people and bulletins
generators of `--scale`, signs an employee in and requests `/` and `/healthz` `--repeat` times
each, cache warm (as the home page is in production between notice changes) and cold (the
cache cleared before each request). Reports wall-clock and CPU time per request and the home
page's throughput as a share of the reference's (the target is at least 10 %).
"""

import argparse
import os
import random
import statistics
import sys
import time
import zlib


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old_name


def _fill(scale_name: str):
    from django.core.management import call_command

    from bench.generators import load_generators
    from bench.scales import SCALES

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    scale = SCALES[scale_name]
    generators = load_generators()
    for name in ("people", "bulletins"):
        started = time.perf_counter()
        generators[name](scale, random.Random(zlib.crc32(name.encode())))
        print(f"generated {name} in {time.perf_counter() - started:.1f} s")


def _time(client, url: str, repeat: int, *, cold: bool) -> tuple[list[float], list[float]]:
    from django.core.cache import cache

    wall, cpu = [], []
    client.get(url)
    for _ in range(repeat):
        if cold:
            cache.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return wall, cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="full")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    connection, old_name = _setup()
    try:
        from django.conf import settings
        from django.test import Client

        from bulletins.models import Notice
        from portal.models import Employee

        settings.PORTAL_FACE = "intranet"
        settings.ROOT_URLCONF = settings.PORTAL_URLCONFS["intranet"]
        _fill(args.scale)
        print(f"{Notice.objects.count()} bulletin notices, {Employee.objects.count()} employees")
        reader = Employee.objects.filter(department__parent__isnull=False).first().user
        client = Client()
        client.force_login(reader)
        rows = {}
        for label, url, cold in (
            ("reference /healthz", "/healthz", False),
            ("home, cache warm", "/", False),
            ("home, cache cold", "/", True),
        ):
            rows[label] = _time(client, url, args.repeat, cold=cold)
        reference = statistics.median(rows["reference /healthz"][1])
        print(f"{'page':<20}{'median ms':>10}{'CPU med':>9}{'CPU p95':>9}{'share':>8}")
        for label, (wall, cpu) in rows.items():
            ordered = sorted(cpu)
            cpu_p95 = ordered[int(0.95 * (len(ordered) - 1))]
            share = reference / statistics.median(cpu)
            print(f"{label:<20}{statistics.median(wall):>10.2f}{statistics.median(cpu):>9.2f}"
                  f"{cpu_p95:>9.2f}{share:>8.1%}")  # fmt: skip
        print(f"load average {os.getloadavg()[0]:.1f}; share = reference CPU / page CPU")
        return 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
