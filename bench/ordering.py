"""The ordering benchmark (DESIGN.md, "Targets"): sustained order placement with concurrent
clients on PostgreSQL, then the books are checked — zero oversell, zero duplicate orders.

    DATABASE_URL=postgres://…/bench_db .venv/bin/python -m bench.ordering --scale small

1. Production settings on the given PostgreSQL database (it refuses SQLite: row locks and
   concurrency are the point), migrated and filled by the people, retailers and orders
   generators at the chosen scale.
2. A contested product with little stock (reset each run) and per-grade allocations, so that
   clients race for its last cartons, next to plentiful ones.
3. `--concurrency` clients (threads, each with its own database connection; the threads are
   spread over `--processes` processes) call the real `order_place` service for `--duration`
   seconds. Each client behaves like a retailer at the cart page: it fills a cart for a random
   retailer whose window is open (1–3 plentiful products, and in half the carts the contested
   one) and submits it. When the submit is refused because a product is sold out, it removes
   that line; when its allowance is used up, it lowers the line to the cartons that remain (or
   removes it) — as the page's message tells it to — and submits again with a new form (a new
   idempotency key), until the order is accepted or the cart is empty. One accepted submit in
   ten is repeated with the same key (a double click) and must return the same order.
4. Report accepted orders/s, placements/s (every call of `order_place`: accepted, refused or
   repeated — each takes the same locks and checks), refusals by reason, latency percentiles
   of the accepted placements, and the CPU time of `order_place` in the calling thread (mean
   milliseconds per accepted placement: unlike the rates, it hardly depends on what else the
   machine is running). Then check: no stock below zero; for every product, stock taken ==
   cartons in this run's orders; no retailer over its allowance; one order per idempotency
   key; every repeated submit got the first order back. Results are written to
   bench/results/ordering-latest.json.

The clients call the service in-process rather than through HTTP: this measures the database
side of ordering (locks, checks, writes), which is what concurrency can break; the pages
around it are measured by the page benchmark (`python -m bench`).
"""

import argparse
import json
import multiprocessing
import os
import random
import statistics
import threading
import time
import uuid
import zlib
from datetime import UTC, datetime

from bench.prepare import BASE_DIR, bench_environment
from bench.scales import SCALES

RESULTS = BASE_DIR / "bench" / "results" / "ordering-latest.json"
CONTESTED_CODE = "BENCH-SCARCE"
CONTESTED_STOCK = 300
TARGET_ORDERS_PER_S = 100


def log(message):
    print(f"[bench.ordering] {message}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.ordering", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="client processes sharing the clients (as gunicorn's workers share requests; one "
        "process would measure Python's interpreter lock rather than the database)",
    )
    parser.add_argument("--skip-generate", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.update(bench_environment(args.scale))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        log("needs PostgreSQL: set DATABASE_URL=postgres://… (a database kept for the bench)")
        return 2
    from bench import prepare
    from bench.generators import load_generators

    prepare.migrate()
    if not args.skip_generate:
        generators = load_generators()
        for name in ("people", "retailers", "orders"):
            started = time.perf_counter()
            generators[name](SCALES[args.scale], random.Random(zlib.crc32(name.encode())))
            log(f"generated {name} in {time.perf_counter() - started:.1f} s")
    report = run(args)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    log(json.dumps(report["summary"], ensure_ascii=False))
    log(f"wrote {RESULTS}")
    return 0 if report["summary"]["ok"] else 1


def contested_product():
    from decimal import Decimal

    from extranet.models import Allocation, AllocationUsage, Brand, Product, Stock

    brand, _created = Brand.objects.get_or_create(name="利群")
    product, _created = Product.objects.get_or_create(
        code=CONTESTED_CODE,
        defaults={
            "brand": brand,
            "name": "基准限量款",
            "barcode": "6901999999999",
            "tar_mg": Decimal("10"),
            "nicotine_mg": Decimal("1.0"),
            "carbon_monoxide_mg": Decimal("11"),
            "wholesale_price": Decimal("500"),
            "retail_price": Decimal("600"),
            "is_scarce": True,
        },
    )
    # Reset each run (bench data only): its stock, and the allowance used in earlier runs, so
    # that every run races for the same last cartons.
    Stock.objects.update_or_create(product=product, defaults={"available": CONTESTED_STOCK})
    AllocationUsage.objects.filter(product=product).delete()
    for grade in range(1, 9):
        Allocation.objects.update_or_create(
            product=product, grade=grade, defaults={"cartons": 9 - grade}
        )
    return product


def run(args) -> dict:
    from django.db import connections
    from django.db.models import Sum
    from django.utils import timezone

    from extranet.catalogue.selectors import allowance_limits
    from extranet.models import AllocationUsage, Order, OrderLine, Product, Retailer, Stock

    contested = contested_product()
    plentiful = list(
        Product.objects.filter(code__startswith="B", is_scarce=False).values_list("pk", flat=True)
    )
    weekday = timezone.localdate().weekday()
    # Retailers whose window is open now (a store orders on its order day) and that may buy.
    retailer_ids = list(
        Retailer.objects.filter(order_day=weekday, settlement="cash", business_status="open")
        .exclude(licence_expires_on__lt=timezone.localdate())
        .values_list("pk", flat=True)
    )
    products = [contested.pk, *plentiful]
    stock_before = dict(
        Stock.objects.filter(product_id__in=products).values_list("product_id", "available")
    )
    run_prefix = f"run-{uuid.uuid4().hex[:8]}-"
    connections.close_all()

    params = {
        "retailer_ids": retailer_ids,
        "plentiful": plentiful,
        "contested": contested.pk,
        "run_prefix": run_prefix,
        "duration": args.duration,
    }
    processes = max(1, min(args.processes, args.concurrency))
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(args.concurrency)
    shares = [list(range(args.concurrency))[index::processes] for index in range(processes)]
    started = time.perf_counter()
    if processes == 1:
        results = [_load(params, shares[0], barrier)]
    else:
        queue = context.Queue()
        children = [
            context.Process(target=_load_into, args=(queue, params, share, barrier))
            for share in shares
        ]
        for child in children:
            child.start()
        results = [queue.get() for _child in children]
        for child in children:
            child.join()
    elapsed = time.perf_counter() - started
    latencies, refusals, errors, duplicates_checked = [], {}, [], []
    placements, cpu_accepted, abandoned = 0, 0.0, 0
    for result in results:
        latencies += result["latencies"]
        placements += result["placements"]
        cpu_accepted += result["cpu_accepted"]
        abandoned += result["abandoned"]
        errors += result["errors"]
        duplicates_checked += result["duplicates_checked"]
        for reason, count in result["refusals"].items():
            refusals[reason] = refusals.get(reason, 0) + count

    # The books.
    run_orders = Order.objects.filter(idempotency_key__startswith=run_prefix)
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
    keys = run_orders.values("retailer_id", "idempotency_key").distinct().count()
    duplicate_orders = run_orders.count() - keys
    over_allowance = 0
    for usage in AllocationUsage.objects.filter(product=contested).select_related("retailer"):
        limit = allowance_limits(retailer=usage.retailer, product_ids=[contested.pk])[contested.pk]
        over_allowance += usage.cartons > limit
    latencies.sort()
    orders = len(latencies)

    def percentile(share):
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 1)

    summary = {
        "orders": orders,
        "orders_per_s": round(orders / elapsed, 1),
        # Every placement, accepted, refused or repeated, took the same locks and checks.
        "placements_per_s": round(placements / elapsed, 1),
        "cpu_ms_per_accepted_placement": round(cpu_accepted * 1000 / orders, 2) if orders else None,
        "p50_ms": percentile(0.50) if latencies else None,
        "p95_ms": percentile(0.95) if latencies else None,
        "p99_ms": percentile(0.99) if latencies else None,
        "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else None,
        "refused": refusals,
        "carts_given_up": abandoned,
        "errors": errors[:10],
        "contested_sold": sold.get(contested.pk, 0),
        "contested_stock_left": stock_after[contested.pk],
        "oversold_products": len(oversold),
        "stock_mismatches": len(mismatched),
        "retailers_over_allowance": over_allowance,
        "duplicate_orders": duplicate_orders,
        "repeated_submits": len(duplicates_checked),
        "repeated_submits_answered_with_another_order": duplicates_checked.count(False),
    }
    summary["ok"] = not (
        errors or oversold or mismatched or over_allowance or duplicate_orders
    ) and all(duplicates_checked)
    summary["meets_target"] = summary["orders_per_s"] >= TARGET_ORDERS_PER_S
    return {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "duration_s": round(elapsed, 1),
        "concurrency": args.concurrency,
        "processes": processes,
        "retailers": Retailer.objects.count(),
        "order_lines": OrderLine.objects.count(),
        "summary": summary,
    }


def _load_into(queue, params, numbers, barrier):
    queue.put(_load(params, numbers, barrier))


def _load(params, numbers, barrier) -> dict:
    """Clients `numbers` (threads, each with its own connection) place orders for the run's
    duration, starting together with every other process's clients."""
    from django.db import connections
    from django.utils import translation

    from extranet.models import Retailer
    from extranet.ordering.services import OrderRefused, order_place

    retailer_ids, plentiful = params["retailer_ids"], params["plentiful"]
    latencies, refusals, errors, duplicates_checked = [], {}, [], []
    counts = {"placements": 0, "cpu_accepted": 0.0, "abandoned": 0}
    lock = threading.Lock()

    def submit(retailer, lines, key):
        """One call of the service, timed: (order or the refusal, seconds, CPU seconds)."""
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            outcome = order_place(retailer=retailer, lines=lines, idempotency_key=key)
        except OrderRefused as refused:
            outcome = refused
        return outcome, time.perf_counter() - started, time.thread_time() - cpu_started

    def client(number):
        rng = random.Random(number)
        translation.activate("en")
        try:
            barrier.wait()
            deadline = time.perf_counter() + params["duration"]
            while time.perf_counter() < deadline:
                # The service reads only the retailer's id (and locks its row itself).
                retailer = Retailer(pk=rng.choice(retailer_ids))
                cart = {
                    pk: rng.randrange(1, 6) for pk in rng.sample(plentiful, k=rng.randrange(1, 4))
                }
                if rng.random() < 0.5:
                    cart[params["contested"]] = rng.randrange(1, 4)
                while cart:
                    key = f"{params['run_prefix']}{number}-{uuid.uuid4().hex}"
                    lines = list(cart.items())
                    outcome, elapsed, cpu = submit(retailer, lines, key)
                    with lock:
                        counts["placements"] += 1
                    if isinstance(outcome, OrderRefused):
                        with lock:
                            reason = outcome.reason or outcome.message[:60]
                            refusals[reason] = refusals.get(reason, 0) + 1
                        # What the cart page's message tells the retailer to do.
                        if outcome.reason == OrderRefused.ALLOWANCE and outcome.remaining:
                            cart[outcome.product_id] = outcome.remaining
                        elif outcome.reason in (OrderRefused.STOCK, OrderRefused.ALLOWANCE):
                            del cart[outcome.product_id]
                        else:
                            raise RuntimeError(f"unexpected refusal: {outcome.message}")
                        if not cart:
                            with lock:
                                counts["abandoned"] += 1
                        continue
                    again = None
                    if rng.random() < 0.1:
                        again, _elapsed, _cpu = submit(retailer, lines, key)
                    with lock:
                        latencies.append(elapsed)
                        counts["cpu_accepted"] += cpu
                        if again is not None:
                            counts["placements"] += 1
                            duplicates_checked.append(getattr(again, "pk", None) == outcome.pk)
                    break
        except Exception as error:  # noqa: BLE001 — reported, and fails the run
            with lock:
                errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(number,)) for number in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "latencies": latencies,
        "refusals": refusals,
        "errors": errors,
        "duplicates_checked": duplicates_checked,
        **counts,
    }


if __name__ == "__main__":
    raise SystemExit(main())
