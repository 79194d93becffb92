"""In-process time per request of the knowledge base's pages at a given number of articles.

No server and no load: the Django test client requests each page `--repeat` times (after two
warm-up requests) in one process against its own SQLite database under var/knowledge-timing
(built once, kept between runs), and prints the mean CPU time (time.process_time) and wall time
per request, and the SQL queries of one request. Meant to compare a page before and after a
change on a shared machine, where CPU time is steadier than wall time:

    .venv/bin/python -m bench.knowledge_timing --articles 20000 --repeat 50

The data: `--articles` live articles from the bench's knowledge generator (nine in ten
internal) across 30 departments, the intranet's search index of them, one employee and one
retailer. `--rebuild` starts from an empty database.
"""

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "knowledge-timing"


def environment(face: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        PORTAL_VAR_DIR=str(VAR),
        SEARCH_DIR=str(VAR / "search"),
        MEDIA_ROOT=str(VAR / "media"),
        SEARCH_QUEUE_UPDATES="0",
        PORTAL_FACE=face,
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
    )
    for name in ("DEBUG", "DATABASE_URL", "CACHE_URL", "SEARCH_URL", "EMAIL_HOST"):
        os.environ.pop(name, None)


def build(articles: int) -> None:
    import dataclasses
    import random

    from django.core.management import call_command

    from bench.generators.knowledge import knowledge
    from bench.scales import SCALES
    from portal.models import Department

    call_command("migrate", interactive=False, verbosity=0)
    for number in range(30 - Department.objects.count()):
        Department.objects.create(
            code=f"kt-{number}", name=f"部门{number}", name_en=f"Dept {number}"
        )
    knowledge(dataclasses.replace(SCALES["small"], knowledge_articles=articles), random.Random(6))
    call_command("rebuild_index", interactive=False, verbosity=0)


def employee_user():
    from portal.models import Employee
    from tests.factories.people import EmployeeFactory

    employee = Employee.objects.filter(name="计时员").select_related("user").first()
    return (employee or EmployeeFactory(name="计时员")).user


def measure(client, url: str, repeat: int, before=None) -> tuple[float, float, int, int]:
    from django.db import connection

    for _ in range(2):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    executed = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: executed.append(sql) or (execute(sql, *args))
    ):
        client.get(url)
    cpu, wall = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        c0, w0 = time.process_time(), time.perf_counter()
        client.get(url)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.mean(cpu), statistics.mean(wall), len(executed), repeat


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    if args.rebuild and VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True, exist_ok=True)
    environment("intranet")
    import django

    django.setup()
    from django.test import Client

    from knowledge.models import ArticlePage

    if not _migrated() or ArticlePage.objects.count() < args.articles:
        build(args.articles)
    if not (VAR / "static" / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    user = employee_user()
    client = Client()
    client.force_login(user)
    article = ArticlePage.objects.live().filter(slug="bench-0").first()
    pages = {
        "browse": "/knowledge/",
        "browse by type": "/knowledge/?type=storage&sort=views",
        "browse by department": "/knowledge/?department=kt-3&sort=helpful&page=2",
        "article": article.url,
        "search": "/knowledge/search/?q=烟叶含水率",
        "search, uncached": "/knowledge/search/?q=烟叶含水率&type=",
        "home": "/",
    }
    # A new generation before each request: nothing the knowledge base caches is used.
    uncached = {"search, uncached": _new_generation}
    print(f"{ArticlePage.objects.count()} articles, {args.repeat} requests each")
    print(f"{'page':24} {'cpu ms':>8} {'wall ms':>8} {'queries':>8}")
    for name, url in pages.items():
        cpu, wall, queries, _ = measure(client, url, args.repeat, uncached.get(name))
        print(f"{name:24} {cpu * 1000:8.1f} {wall * 1000:8.1f} {queries:8d}")


def _new_generation() -> None:
    from knowledge.selectors import ARTICLES_GENERATION

    ARTICLES_GENERATION.bump_now()


def _migrated() -> bool:
    from django.db import connection

    return "knowledge_articlepage" in connection.introspection.table_names()


if __name__ == "__main__":
    main()
