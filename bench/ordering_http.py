"""Ordering end to end over HTTP: signed-in retailers add to the cart and check out as the
browser does, against the extranet served by gunicorn on PostgreSQL.

    DATABASE_URL=postgres://…/bench_db .venv/bin/python -m bench.ordering_http --scale small

1. The bench's environment and data (production settings, the people, retailers and orders
   generators; `--skip-generate` uses what is there) on PostgreSQL, and bench.ordering's
   contested product (little stock, per-grade allowances), reset each run.
2. One session per client, each signed in as a different retailer login whose store may buy
   now (its order day is today, cash settlement, open, licence valid).
3. The extranet under gunicorn with the production configuration (`--workers`), and
   `--concurrency` asyncio clients for `--duration` seconds, each a browser: it GETs the
   catalogue once (the CSRF cookie and token), then per order POSTs the cart's add form
   (a plentiful product, or in one cart in four the contested one), follows the redirect to the
   cart page (whose checkout form carries the idempotency key and the cart's identity), POSTs
   the checkout and follows the redirect to the order's page. A refused checkout (sold out,
   allowance used) lands on the cart again; the client then empties its cart with the cart
   form and starts over. One accepted checkout in ten is submitted again with the same form (a
   double click): it must lead to the same order.
4. Report orders/s, requests per order, p50/p95 of the whole order (add to the order's page)
   and of each step, and the servers' CPU per order (gunicorn's processes, from /proc; the
   database's own CPU is not counted). Then the same books as bench.ordering: no stock below
   zero, stock taken == cartons in this run's orders, no retailer over its allowance, one order
   per idempotency key, and every double click led to the first order. Results go to
   bench/results/ordering-http-latest.json.
5. The run's orders are then deleted and the stock and the contested allowance put back, so
   that the data keeps its scale from run to run (`--keep-orders` leaves them).
"""

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import time
import zlib
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import urlencode

from bench.prepare import BASE_DIR, bench_environment, var_dir
from bench.scales import SCALES

RESULTS = BASE_DIR / "bench" / "results" / "ordering-http-latest.json"
REQUEST_TIMEOUT = 30.0
CONTESTED_SHARE = 0.25
REPEAT_SHARE = 0.1
_HIDDEN = re.compile(r'<input[^>]*name="(csrfmiddlewaretoken|idempotency_key|cart)"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')


def log(message):
    print(f"[bench.ordering_http] {message}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.ordering_http", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument(
        "--gunicorn-defaults",
        action="store_true",
        help="run gunicorn without portal/gunicorn_conf.py (each worker loads the project)",
    )
    parser.add_argument(
        "--in-process",
        type=int,
        metavar="ORDERS",
        help="no server: place ORDERS orders one after another with Django's test client and "
        "report each step's CPU ms (time.process_time) and SQL, then the same books",
    )
    parser.add_argument(
        "--profile", metavar="STEP", help="with --in-process: cProfile this step (add, cart, …)"
    )
    parser.add_argument(
        "--sql", action="store_true", help="with --in-process: print each step's SQL once"
    )
    parser.add_argument(
        "--keep-orders",
        action="store_true",
        help="leave the run's orders in the database (by default they are deleted and the stock "
        "put back after the books are checked, so that every run starts from the same data)",
    )
    return parser.parse_args(argv)


class Browser:
    """One retailer's browser: its cookies, and requests on a new connection each."""

    def __init__(self, host, port, cookies):
        self.host, self.port, self.cookies = host, port, dict(cookies)
        self.requests = 0
        self.steps = {}

    async def request(self, method, path, form=None, step=None):
        body = urlencode(form).encode() if form is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "User-Agent: portal-bench",
            "Accept: text/html",
            "Accept-Language: zh-hans",
            "Connection: close",
            "Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        ]
        if form is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        started = time.perf_counter()
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), REQUEST_TIMEOUT
        )
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            data = await asyncio.wait_for(reader.read(), REQUEST_TIMEOUT)
        finally:
            writer.close()
        self.requests += 1
        if step:
            self.steps.setdefault(step, []).append(time.perf_counter() - started)
        head, _separator, content = data.partition(b"\r\n\r\n")
        status = int(head[9:12])
        location = ""
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _colon, value = line.partition(":")
            if name.lower() == "set-cookie":
                cookie = value.strip().split(";", 1)[0]
                key, _equals, val = cookie.partition("=")
                if "expires=Thu, 01 Jan 1970" in value or "Max-Age=0" in value:
                    # Deleted, as a browser deletes it: the messages cookie once they are shown.
                    self.cookies.pop(key, None)
                elif val:
                    self.cookies[key] = val
            elif name.lower() == "location":
                location = value.strip()
        return status, location, content.decode("utf-8", "replace")


def _fields(html: str) -> dict:
    fields = {}
    for tag in _HIDDEN.finditer(html):
        value = _VALUE.search(tag.group(0))
        fields.setdefault(tag.group(1), value.group(1) if value else "")
    return fields


async def _client(browser, rng, params, deadline, result):
    status, _location, html = await browser.request("GET", "/shop/products/")
    if status != 200:
        raise RuntimeError(f"catalogue answered {status}")
    token = _fields(html)["csrfmiddlewaretoken"]
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        if rng.random() < CONTESTED_SHARE:
            product, quantity = params["contested"], rng.randrange(1, 4)
        else:
            product, quantity = rng.choice(params["plentiful"]), rng.randrange(1, 6)
        form = {"csrfmiddlewaretoken": token, "product": product, "quantity": quantity}
        status, location, _html = await browser.request("POST", "/shop/cart/add/", form, "add")
        if status != 302:
            result["errors"].append(f"cart add answered {status}")
            continue
        if not location.endswith("/shop/cart/"):
            result["refusals"]["add: " + location] += 1  # allowance used: the product page
            continue
        status, _location, html = await browser.request("GET", location, step="cart")
        checkout = _fields(html)
        if status != 200 or "cart" not in checkout:
            result["errors"].append(f"cart page answered {status} without a checkout form")
            continue
        form = {
            "csrfmiddlewaretoken": token,
            "idempotency_key": checkout.get("idempotency_key", ""),
            "cart": checkout["cart"],
        }
        status, location, _html = await browser.request(
            "POST", "/shop/cart/checkout/", form, "checkout"
        )
        if status != 302:
            result["errors"].append(f"checkout answered {status}")
            continue
        placed = re.search(r"/shop/orders/(\d+)/$", location)
        status, _location, html = await browser.request("GET", location, step="follow")
        if not placed:
            result["refusals"]["checkout"] += 1
            fields = {"csrfmiddlewaretoken": token}
            fields.update(dict.fromkeys(re.findall(r'name="(remove-\d+)"', html), "1"))
            await browser.request("POST", "/shop/cart/", fields, "empty")
            continue
        result["latencies"].append(time.perf_counter() - started)
        result["orders"] += 1
        if rng.random() < REPEAT_SHARE:
            _status, again, _html = await browser.request("POST", "/shop/cart/checkout/", form)
            result["repeats"].append(again == location)


async def _drive(host, port, sessions, params, duration):
    result = {
        "orders": 0,
        "latencies": [],
        "errors": [],
        "refusals": Counter(),
        "repeats": [],
    }
    browsers = [Browser(host, port, {"extranet_sessionid": key}) for key in sessions]
    deadline = time.perf_counter() + duration
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(
            _client(browser, random.Random(number), params, deadline, result)
            for number, browser in enumerate(browsers)
        ),
        return_exceptions=True,
    )
    result["elapsed"] = time.perf_counter() - started
    result["errors"] += [repr(outcome) for outcome in outcomes if isinstance(outcome, Exception)]
    result["requests"] = sum(browser.requests for browser in browsers)
    steps = {}
    for browser in browsers:
        for step, values in browser.steps.items():
            steps.setdefault(step, []).extend(values)
    result["steps"] = steps
    return result


def _services_cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by the database's backends and the cache, which share the
    machine with the server."""
    from bench import server

    return server.programs_cpu_seconds(("postgres", "redis-server"))


def _percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


def _in_process(
    session_key, params, orders: int, profile: str | None = None, show_sql: bool = False
) -> dict:
    """The browser's steps of `orders` orders in this process (Django's test client, CSRF
    checked, the extranet's settings as bench.cpu sets them): per step the median CPU ms and
    the SQL of its requests, and what an order costs in all."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.cpu import face_settings
    from bench.sessions import session_cookie_name

    rng = random.Random(0)
    cpu, sql = {}, {}
    result = {"orders": 0, "errors": [], "refusals": Counter(), "repeats": []}

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)

    def step(name, method, path, form=None):
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            if profile in (name, "all"):
                profiler.enable()
            if method == "GET":
                response = client.get(path)
            else:
                # As the browser (and the HTTP run) sends a form: urlencoded, not multipart.
                response = client.post(
                    path, urlencode(form), content_type="application/x-www-form-urlencoded"
                )
            if profile in (name, "all"):
                profiler.disable()
        cpu.setdefault(name, []).append((time.process_time() - started) * 1000)
        if show_sql and name not in sql:
            log(f"{name}: {len(queries)} SQL")
            for query in queries.captured_queries:
                log("    " + query["sql"][:300])
        sql.setdefault(name, []).append(len(queries))
        return response

    with override_settings(**face_settings("extranet")):
        client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
        client.cookies[session_cookie_name("extranet")] = session_key
        token = _fields(client.get("/shop/products/").content.decode())["csrfmiddlewaretoken"]
        started = time.perf_counter()
        while result["orders"] < orders:
            if rng.random() < CONTESTED_SHARE:
                product, quantity = params["contested"], rng.randrange(1, 4)
            else:
                product, quantity = rng.choice(params["plentiful"]), rng.randrange(1, 6)
            form = {"csrfmiddlewaretoken": token, "product": product, "quantity": quantity}
            response = step("add", "POST", "/shop/cart/add/", form)
            if response.status_code != 302 or not response["Location"].endswith("/shop/cart/"):
                result["refusals"]["add"] += 1
                continue
            checkout = _fields(step("cart", "GET", "/shop/cart/").content.decode())
            form = {
                "csrfmiddlewaretoken": token,
                "idempotency_key": checkout.get("idempotency_key", ""),
                "cart": checkout["cart"],
            }
            response = step("checkout", "POST", "/shop/cart/checkout/", form)
            location = response["Location"]
            html = step("follow", "GET", location).content.decode()
            if not re.search(r"/shop/orders/(\d+)/$", location):
                result["refusals"]["checkout"] += 1
                fields = {"csrfmiddlewaretoken": token}
                fields.update(dict.fromkeys(re.findall(r'name="(remove-\d+)"', html), "1"))
                step("empty", "POST", "/shop/cart/", fields)
                continue
            result["orders"] += 1
            if rng.random() < REPEAT_SHARE:
                again = step("repeat", "POST", "/shop/cart/checkout/", form)
                result["repeats"].append(again["Location"] == location)
        result["elapsed"] = time.perf_counter() - started
    steps = {
        name: {
            "count": len(values),
            "cpu_ms_median": round(statistics.median(values), 2),
            "sql_median": statistics.median(sql[name]),
        }
        for name, values in cpu.items()
    }
    result["steps"] = steps
    if profiler:
        import pstats

        if os.environ.get("BENCH_PROFILE_DUMP"):
            profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    result["cpu_ms_per_order"] = round(
        sum(sum(values) for values in cpu.values()) / max(result["orders"], 1), 2
    )
    return result


def buyers(count: int):
    """Retailer logins whose stores may order now (bench data: the logins of the people
    generator, whose stores the retailers generator gives an order day)."""
    from django.utils import timezone

    from extranet.models import Retailer
    from portal.models import User

    today = timezone.localdate()
    stores = (
        Retailer.objects.filter(
            order_day=today.weekday(), settlement="cash", business_status="open"
        )
        .exclude(licence_expires_on__lt=today)
        .values("pk")
    )
    return list(
        User.objects.filter(
            is_active=True, must_change_password=False, retailer_login__retailer__in=stores
        ).order_by("pk")[:count]
    )


def _books(run_started, retailer_ids, contested, products, stock_before) -> dict:
    """The books of the run, as bench.ordering keeps them: the run's orders and what they sold,
    the products oversold or whose stock moved by other than what was sold, the duplicate
    orders (one key twice) and the retailers over their allowance of the contested product."""
    from django.db.models import Sum

    from extranet.catalogue.selectors import allowance_limits
    from extranet.models import AllocationUsage, Order, OrderLine, Stock

    run_orders = Order.objects.filter(retailer_id__in=retailer_ids, placed_at__gte=run_started)
    sold = dict(
        OrderLine.objects.filter(order__in=run_orders)
        .values("product_id")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "total")
    )
    stock_after = dict(
        Stock.objects.filter(product_id__in=products).values_list("product_id", "available")
    )
    oversold = [pk for pk, available in stock_after.items() if available < 0]
    mismatched = [pk for pk in products if stock_before[pk] - stock_after[pk] != sold.get(pk, 0)]
    duplicate_orders = (
        run_orders.count() - run_orders.values("retailer_id", "idempotency_key").distinct().count()
    )
    over_allowance = 0
    for usage in AllocationUsage.objects.filter(product=contested).select_related("retailer"):
        limit = allowance_limits(retailer=usage.retailer, product_ids=[contested.pk])[contested.pk]
        over_allowance += usage.cartons > limit
    return {
        "run_orders": run_orders,
        "sold": sold,
        "oversold": oversold,
        "mismatched": mismatched,
        "duplicate_orders": duplicate_orders,
        "over_allowance": over_allowance,
    }


def _put_back(run_orders, contested, stock_before) -> int:
    """Delete the run's orders (their lines and history go with them) and put the stock and the
    contested product's allowance used back as they were, so that the bench's data keeps its
    scale: the staff's order lists and the next run start from the same rows. Returns the number
    of orders deleted."""
    from django.db import transaction

    from extranet.models import AllocationUsage, Order, Stock

    with transaction.atomic():
        order_ids = list(run_orders.values_list("pk", flat=True))
        Order.objects.filter(pk__in=order_ids).delete()
        for product_id, available in stock_before.items():
            Stock.objects.filter(product_id=product_id).update(available=available)
        AllocationUsage.objects.filter(product=contested).delete()
    return len(order_ids)


def main(argv=None) -> int:
    args = parse_args(argv)
    env = bench_environment(args.scale)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection, connections
    from django.utils import timezone

    from bench import prepare, server, sessions
    from bench.ordering import contested_product
    from extranet.models import Product, Stock

    if connection.vendor != "postgresql":
        log("needs PostgreSQL: set DATABASE_URL=postgres://… (a database kept for the bench)")
        return 2
    prepare.migrate()
    if not args.skip_generate:
        from bench.generators import load_generators

        generators = load_generators()
        for name in ("people", "retailers", "orders"):
            generators[name](SCALES[args.scale], random.Random(zlib.crc32(name.encode())))
        prepare.collectstatic()
    contested = contested_product()
    plentiful = list(
        Product.objects.filter(
            code__startswith="B", is_scarce=False, stock__available__gt=10_000
        ).values_list("pk", flat=True)
    )
    users = buyers(args.concurrency)
    if len(users) < args.concurrency:
        log(f"only {len(users)} retailer logins may order today; some share a session")
    keys = [sessions.session_create(users[index % len(users)]) for index in range(args.concurrency)]
    products = [contested.pk, *plentiful]
    stock_before = dict(
        Stock.objects.filter(product_id__in=products).values_list("product_id", "available")
    )
    run_started = timezone.now()
    retailer_ids = [user.retailer_login.retailer_id for user in users]
    if args.in_process:
        params = {"contested": contested.pk, "plentiful": plentiful}
        try:
            result = _in_process(keys[0], params, args.in_process, args.profile, args.sql)
        finally:
            sessions.sessions_delete(keys)
        log(json.dumps({key: result[key] for key in ("steps", "cpu_ms_per_order")}))
        log(f"refused {dict(result['refusals'])}, repeats {result['repeats'].count(True)} same")
        books = _books(run_started, retailer_ids[:1], contested, products, stock_before)
        log(
            f"{books['run_orders'].count()} orders in the database, oversold {books['oversold']},"
            f" stock mismatches {books['mismatched']}, duplicates {books['duplicate_orders']},"
            f" over allowance {books['over_allowance']}"
        )
        if not args.keep_orders:
            log(f"{_put_back(books['run_orders'], contested, stock_before)} orders deleted")
        ok = not (
            result["errors"]
            or books["oversold"]
            or books["mismatched"]
            or books["duplicate_orders"]
            or books["over_allowance"]
        ) and all(result["repeats"])
        return 0 if ok else 1
    connections.close_all()
    log_dir = var_dir(args.scale) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    target = server.start(
        "extranet",
        env=env,
        workers=args.workers,
        log_dir=log_dir,
        cwd=BASE_DIR,
        config=None if args.gunicorn_defaults else server.CONFIG,
    )
    try:
        server.wait_ready(target)
        server.wait_settled([target])
        log(f"extranet on {target.base_url} ({args.workers} workers); {args.concurrency} clients")
        cpu_before = server._group_cpu_seconds(target.process.pid)
        services_before = _services_cpu_seconds()
        client_before = time.process_time()
        params = {"contested": contested.pk, "plentiful": plentiful}
        result = asyncio.run(_drive(server.HOST, target.port, keys, params, args.duration))
        client_used = time.process_time() - client_before
        services_used = {
            name: used - services_before.get(name, 0.0)
            for name, used in _services_cpu_seconds().items()
        }
        cpu_used = server._group_cpu_seconds(target.process.pid) - cpu_before
    finally:
        server.stop(target)
        sessions.sessions_delete(keys)

    books = _books(run_started, retailer_ids, contested, products, stock_before)
    run_orders, sold = books.pop("run_orders"), books.pop("sold")
    oversold, mismatched = books["oversold"], books["mismatched"]
    duplicate_orders, over_allowance = books["duplicate_orders"], books["over_allowance"]
    orders = result["orders"]
    elapsed = result["elapsed"]
    orders_in_database = run_orders.count()
    deleted = 0 if args.keep_orders else _put_back(run_orders, contested, stock_before)
    summary = {
        "orders": orders,
        "orders_in_database": orders_in_database,
        "orders_deleted_after_the_books": deleted,
        "orders_per_s": round(orders / elapsed, 1),
        "requests_per_order": round(result["requests"] / orders, 2) if orders else None,
        "requests_per_s": round(result["requests"] / elapsed, 1),
        "p50_ms": _percentile(result["latencies"], 0.50),
        "p95_ms": _percentile(result["latencies"], 0.95),
        "mean_ms": round(statistics.mean(result["latencies"]) * 1000, 1) if orders else None,
        "steps_p95_ms": {
            step: _percentile(values, 0.95) for step, values in result["steps"].items()
        },
        "server_cpu_ms_per_order": round(cpu_used * 1000 / orders, 1) if orders else None,
        # Where the rest of the two cores went: this load generator, PostgreSQL, Redis.
        "other_cpu_ms_per_order": {
            "clients": round(client_used * 1000 / orders, 1),
            **{name: round(used * 1000 / orders, 1) for name, used in services_used.items()},
        }
        if orders
        else None,
        "refused": dict(result["refusals"]),
        "errors": result["errors"][:10],
        "error_count": len(result["errors"]),
        "contested_sold": sold.get(contested.pk, 0),
        "oversold_products": len(oversold),
        "stock_mismatches": len(mismatched),
        "retailers_over_allowance": over_allowance,
        "duplicate_orders": duplicate_orders,
        "repeated_submits": len(result["repeats"]),
        "repeated_submits_answered_with_another_order": result["repeats"].count(False),
    }
    summary["ok"] = not (
        result["errors"] or oversold or mismatched or over_allowance or duplicate_orders
    ) and all(result["repeats"])
    report = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "duration_s": round(elapsed, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "summary": summary,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    log(json.dumps(summary, ensure_ascii=False))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
