"""CPU time per request of the bench's pages, in one process with Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/speedfloor \\
        .venv/bin/python -m bench.cpu [--scale small] [--pages intranet-home,login] [--repeat 200]

Production settings and the bench's environment (bench.prepare.bench_environment), on the data
the bench's generators make (run without `--skip-generate` once, or after `make bench`). Each
page is requested as its face's process serves it (bench.queries), signed in as the page's role
with the same sessions the load clients use; after `--warmup` uncounted requests, `--repeat`
requests are timed with `time.process_time()`, which counts only this process's CPU and so does
not depend on what else the machine is doing. The reference `/healthz` is measured first and
last. Prints per page the median and mean CPU ms, the SQL queries of a warm request and the
ratio to the reference, and the median wall time (CPU plus waiting for the database and the
cache). `--json FILE` writes the same.

`--profile NAME` runs cProfile over the timed requests of that page and prints the top
functions (cumulative and own time), to see where a page's CPU goes. `--dump DIR` writes every
page's HTML, to compare two commits' pages byte for byte (`--language zh-hans` for Chinese).
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path


def parse_args(argv=None) -> argparse.Namespace:
    from bench.pages import PAGES
    from bench.scales import SCALES

    parser = argparse.ArgumentParser(prog="python -m bench.cpu", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--pages",
        help="comma-separated page names (default: all): " + ", ".join(p.name for p in PAGES),
    )
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="uncounted requests per page")
    parser.add_argument(
        "--users",
        type=int,
        default=16,
        help="signed-in users per role, taken in turn (as many as make bench's clients)",
    )
    parser.add_argument("--skip-generate", action="store_true", help="use the data already there")
    parser.add_argument("--profile", metavar="NAME", help="cProfile this page's timed requests")
    parser.add_argument("--profile-lines", type=int, default=40)
    parser.add_argument("--profile-filter", help="only functions whose file or name match this")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--dump",
        metavar="DIR",
        help="write each page's HTML (CSRF tokens blanked) to DIR/<page>.html, to compare the "
        "pages of two commits byte for byte",
    )
    parser.add_argument("--language", help="the language cookie to send (en, zh-hans)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0 or args.users < 1:
        parser.error("--repeat and --users must be positive")
    by_name = {page.name: page for page in PAGES}
    names = [n.strip() for n in (args.pages or "").split(",") if n.strip()] or list(by_name)
    if args.profile and args.profile not in names:
        names.append(args.profile)
    unknown = [name for name in names if name not in by_name and name != "reference"]
    if unknown:
        parser.error(f"unknown pages {', '.join(unknown)}")
    args.selected = [by_name[name] for name in names if name != "reference"]
    return args


def _client(page, session_key, language=None):
    from django.conf import settings
    from django.test import Client

    from bench.sessions import session_cookie_name

    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies[session_cookie_name(page.face)] = session_key
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def dump(page, html: bytes, directory) -> None:
    """The page as the warm request rendered it, its masked CSRF tokens (new on every request)
    blanked."""
    text = _TOKEN.sub(r'\1"', html.decode("utf-8", "replace"))
    (Path(directory) / f"{page.name}.html").write_text(text, encoding="utf-8")


def face_settings(face: str) -> dict:
    from django.conf import settings

    from bench.sessions import session_cookie_name

    return {
        "PORTAL_FACE": face,
        "ROOT_URLCONF": settings.PORTAL_URLCONFS[face],
        "SESSION_COOKIE_NAME": session_cookie_name(face),
        "CSRF_COOKIE_NAME": f"{face}_csrftoken",
    }


def measure(
    page, session_keys, *, repeat: int, warmup: int, profiler=None, language=None, dump_to=None
) -> dict:
    """CPU ms per request (median, mean, p95) and the warm request's SQL count.

    `session_keys` is one session key, or a list of them (the role's users, as the load's
    clients sign in): the requests take them in turn, so a page whose cost depends on the
    reader (a department's report box, a store's orders) is measured over the same readers as
    under load, not over whichever user happens to come first."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    if session_keys is None or isinstance(session_keys, str):
        session_keys = [session_keys]
    with override_settings(**face_settings(page.face)):
        clients = [_client(page, key, language) for key in session_keys]
        status = None
        # Every reader's first request is a warm-up, whatever `warmup` says.
        for number in range(max(warmup, len(clients))):
            status = clients[number % len(clients)].get(page.path).status_code
        client = clients[0]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
            status = response.status_code
        if dump_to:
            dump(page, response.content, dump_to)
        # captured_queries reads the connection's log, which the next request resets.
        query_count = len(queries)
        cpu, wall = [], []
        if profiler:
            profiler.enable()
        for number in range(repeat):
            client = clients[number % len(clients)]
            started, wall_started = time.process_time(), time.perf_counter()
            client.get(page.path)
            cpu.append((time.process_time() - started) * 1000)
            wall.append((time.perf_counter() - wall_started) * 1000)
        if profiler:
            profiler.disable()
    ordered = sorted(cpu)
    return {
        "status": status,
        "queries": query_count,
        "cpu_ms_median": round(statistics.median(cpu), 3),
        "cpu_ms_mean": round(statistics.fmean(cpu), 3),
        "cpu_ms_p95": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        # Wall time includes the database's and the cache's answers: on a quiet machine, what
        # it adds to the CPU time is mostly waiting for them (e.g. a slow plan at full scale).
        "wall_ms_median": round(statistics.median(wall), 3),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.prepare import bench_environment

    env = bench_environment(args.scale)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from bench import prepare, sessions
    from bench.pages import REFERENCE, with_ids

    prepare.migrate()
    if not args.skip_generate:
        from bench.generators import generate
        from bench.scales import SCALES

        generate(SCALES[args.scale], lambda message: print(message, file=sys.stderr))
        # Production settings serve static files through the manifest storage.
        prepare.collectstatic()
    if not args.skip_generate or not prepare.index_has_segments(env["SEARCH_DIR"]):
        # The searches must find the generated articles, as under `make bench`: an empty
        # index answers "no results" cheaply and would flatter the search pages.
        indexed, output = prepare.rebuild_index(args.scale, env)
        if not indexed:
            print(f"rebuild_index failed; search pages measure what exists:\n{output}")
    pages = with_ids(args.selected)
    roles = {page.role for page in pages} - {"anonymous"}
    keys = {role: sessions.sessions_create(role=role, count=args.users) for role in roles}
    results = {}
    try:
        reference_runs = [measure(REFERENCE, None, repeat=args.repeat, warmup=args.warmup)]
        profiler = None
        for page in pages:
            if page.name == args.profile:
                import cProfile

                # CPU time, not wall time: waiting for the database is not what a page costs.
                profiler = cProfile.Profile(time.process_time)
            results[page.name] = measure(
                page,
                keys.get(page.role),
                repeat=args.repeat,
                warmup=args.warmup,
                profiler=profiler if page.name == args.profile else None,
                language=args.language,
                dump_to=args.dump,
            )
            row = results[page.name]
            print(
                f"{page.name:<32} {row['status']:>4} {row['cpu_ms_median']:8.2f} "
                f"{row['cpu_ms_mean']:8.2f} {row['queries']:>4}",
                file=sys.stderr,
                flush=True,
            )
        reference_runs.append(measure(REFERENCE, None, repeat=args.repeat, warmup=args.warmup))
    finally:
        sessions.sessions_delete([key for role_keys in keys.values() for key in role_keys])
        connections.close_all()
    reference = min(run["cpu_ms_median"] for run in reference_runs)
    print(
        f"{'page':<32}{'status':>7}{'CPU med':>9}{'mean':>8}{'p95':>8}{'SQL':>5}{'× ref':>7}"
        f"{'wall med':>10}"
    )
    print(
        f"{'reference /healthz':<32}{200:>7}{reference:>9.2f}{'':>8}{'':>8}{'':>5}{1:>7.1f}"
        f"   (runs {', '.join(str(run['cpu_ms_median']) for run in reference_runs)})"
    )
    for name, row in results.items():
        row["ratio_to_reference"] = round(row["cpu_ms_median"] / reference, 1)
        print(
            f"{name:<32}{row['status']:>7}{row['cpu_ms_median']:>9.2f}{row['cpu_ms_mean']:>8.2f}"
            f"{row['cpu_ms_p95']:>8.2f}{row['queries']:>5}{row['ratio_to_reference']:>7.1f}"
            f"{row['wall_ms_median']:>10.2f}"
        )
    if results:
        median = statistics.median(row["cpu_ms_median"] for row in results.values())
        print(f"median page: {median:.2f} ms")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as output:
            json.dump({"reference": reference_runs, "pages": results}, output, indent=1)
    if profiler:
        import pstats

        stats = pstats.Stats(profiler)
        if os.environ.get("BENCH_PROFILE_DUMP"):  # for pstats' callers and callees
            profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])
        restrictions = [args.profile_filter] if args.profile_filter else []
        stats.sort_stats("cumulative").print_stats(*restrictions, args.profile_lines)
        stats.sort_stats("tottime").print_stats(*restrictions, args.profile_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
