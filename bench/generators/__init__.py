"""Data generators, one per feature, run in the order they are registered.

A generator is a function `(scale, rng) -> None` that brings its feature's data up to the numbers
of `scale` (bench/scales.py). It must be deterministic (draw only from `rng`, which is seeded from
the generator's name) and cheap to run again: skip what already exists. Generators write with
`bulk_create` rather than the service functions: they make data, not decisions, and the services'
per-object audit records and task-queue calls would make the full scale take hours.

A later feature adds a module here and its name to `GENERATOR_MODULES`, after the generators
whose data it needs.
"""

import importlib
import random
import time
import zlib
from collections.abc import Callable

from bench.scales import Scale

Generator = Callable[[Scale, random.Random], None]

GENERATORS: dict[str, Generator] = {}

GENERATOR_MODULES = [
    "bench.generators.people",
    "bench.generators.notices",
    # The forum first: the bulletins' discussion topic takes its replies from its pseudonyms.
    "bench.generators.forum",
    "bench.generators.bulletins",
    "bench.generators.knowledge",
    "bench.generators.documents",
    "bench.generators.retailers",  # CRM and catalogue: scale.retailers
    "bench.generators.orders",  # scale.order_lines
    "bench.generators.feedback",  # extranet feedback: scale.retailers items
    "bench.generators.visits",  # visits and contacts: ~1.2 per retailer
    "bench.generators.market",  # market reports and grade history (extranet/market/)
    "bench.generators.surveys",  # extranet surveys: scale.retailers / 2 responses
]


def generator(name: str) -> Callable[[Generator], Generator]:
    """Register a generator under `name` (its rng is seeded from the name)."""

    def register(function: Generator) -> Generator:
        if name in GENERATORS:
            raise ValueError(f"Generator {name!r} is registered twice.")
        GENERATORS[name] = function
        return function

    return register


def load_generators() -> dict[str, Generator]:
    for module in GENERATOR_MODULES:
        importlib.import_module(module)
    return GENERATORS


def generate(scale: Scale, log: Callable[[str], None] = print) -> dict[str, float]:
    """Run every registered generator; returns the seconds each took."""
    timings = {}
    for name, function in load_generators().items():
        started = time.perf_counter()
        # A seed per generator, so that adding one does not change the data of the others; the
        # same seed at every scale, so that the small data set is the start of the full one.
        function(scale, random.Random(zlib.crc32(name.encode())))
        timings[name] = round(time.perf_counter() - started, 2)
        log(f"generated {name} in {timings[name]} s")
    started = time.perf_counter()
    analyze()
    timings["analyze"] = round(time.perf_counter() - started, 2)
    log(f"planner statistics gathered (VACUUM ANALYZE) in {timings['analyze']} s")
    return timings


def analyze() -> None:
    """Gather the planner's statistics of the freshly written tables, as autovacuum (or a
    restore's ANALYZE) has them in production. Without them PostgreSQL guesses from empty-table
    estimates: at the full scale the knowledge search planned a nested loop over 18,000 pages
    and took half a second where it takes one millisecond with statistics."""
    from django.db import connection

    # VACUUM too on PostgreSQL: it writes the visibility map index-only scans need, which
    # autovacuum keeps in production (and this machine's server runs without autovacuum).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
