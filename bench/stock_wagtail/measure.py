"""CPU ms per request of stock wagtail/bakerydemo pages, measured as `bench.cpu` measures ours:
one process, Django's test client, warm, `time.process_time()` around each request.

Runs in bakerydemo's own virtualenv (see README.md), not the portal's.
"""

import argparse
import json
import platform
import statistics
import time

import django

PAGES = [
    ("home", "/"),
    ("blog index", "/blog/"),
    ("blog page", "/blog/wild-yeast/"),
    ("bread page", "/breads/anadama-bread/"),
    ("recipe page", "/recipes/hot-cross-bun/"),
    ("reference", "/__ok__/"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    django.setup()
    import wagtail
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    for name, path in PAGES:
        for _ in range(args.warmup):
            client.get(path)
        cpu = []
        for _ in range(args.repeat):
            started = time.process_time()
            client.get(path)
            cpu.append((time.process_time() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        rows.append(
            {
                "page": name,
                "path": path,
                "status": response.status_code,
                "queries": len(queries.captured_queries),
                "cpu_ms_median": round(statistics.median(cpu), 2),
                "cpu_ms_mean": round(statistics.fmean(cpu), 2),
            }
        )
    versions = f"Python {platform.python_version()}, Django {django.get_version()}"
    print(f"{versions}, Wagtail {wagtail.__version__}; {args.repeat} requests a page")
    print(f"{'page':<12} {'path':<26} status  SQL  CPU median  mean (ms)")
    for row in rows:
        print(
            f"{row['page']:<12} {row['path']:<26} {row['status']:>6} {row['queries']:>4}"
            f" {row['cpu_ms_median']:>11.2f} {row['cpu_ms_mean']:>6.2f}"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"versions": versions, "wagtail": wagtail.__version__, "pages": rows}, out)


if __name__ == "__main__":
    main()
