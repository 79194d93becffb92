"""One benchmark run, from an empty var/bench to bench/results/latest.{json,md}.

1. Production settings on a database of its own (SQLite under var/bench, or DATABASE_URL),
   migrated and filled by the generators at the chosen scale; static files collected; the
   search index rebuilt.
2. One signed-in session per concurrent client; SQL queries per page counted in-process.
3. Both faces served by gunicorn on loopback ports; the reference view and every page driven in
   turn by the concurrent clients for a fixed time.
4. The servers are stopped whatever happens (they run in their own process groups), the
   sessions deleted, the results written.
"""

import argparse
import os
import platform
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.pages import PAGES, REFERENCE, Page, with_ids
from bench.prepare import BASE_DIR, bench_environment, var_dir
from bench.scales import SCALES

RESULTS_DIR = BASE_DIR / "bench" / "results"
DEFAULT_DURATION = {"small": 10.0, "full": 30.0}
DEFAULT_MAX_MINUTES = {"small": 20.0, "full": 300.0}

_started = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - _started:6.1f}s] {message}", flush=True)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Generate data, serve both faces with gunicorn and production settings, "
        "drive each page with concurrent signed-in clients, report against a trivial view.",
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--duration", type=float, help="seconds of load per page (10 small, 30 full)"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted seconds per page")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--workers", type=int, default=2 * cpu_count(), help="gunicorn workers per face"
    )
    parser.add_argument(
        "--pages",
        help="comma-separated page names (default: all): " + ", ".join(page.name for page in PAGES),
    )
    parser.add_argument(
        "--skip-generate", action="store_true", help="use the data already in the database"
    )
    parser.add_argument(
        "--max-minutes", type=float, help="abort the whole run after this long (20 small)"
    )
    parser.add_argument(
        "--cpu-repeat",
        type=int,
        default=50,
        help="requests timed in process per page for its CPU ms (bench.cpu; 0: skip)",
    )
    args = parser.parse_args(argv)
    args.duration = args.duration or DEFAULT_DURATION[args.scale]
    args.max_minutes = args.max_minutes or DEFAULT_MAX_MINUTES[args.scale]
    if args.concurrency < 1 or args.workers < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("concurrency, workers and duration must be positive")
    if args.cpu_repeat < 0:
        parser.error("--cpu-repeat must not be negative")
    args.selected = select_pages(parser, args.pages)
    return args


def select_pages(parser, spec: str | None) -> list[Page]:
    if not spec:
        return list(PAGES)
    by_name = {page.name: page for page in PAGES}
    names = [name.strip() for name in spec.split(",") if name.strip()]
    unknown = [name for name in names if name not in by_name]
    if unknown:
        parser.error(f"unknown pages {', '.join(unknown)}; known: {', '.join(by_name)}")
    return [by_name[name] for name in names]


class RunTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise RunTimeout("The benchmark ran out of its time (--max-minutes).")


def _on_terminate(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop the servers


def machine_info() -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = 0
    return {
        "cpus": cpu_count(),
        "cpu_model": model,
        "memory_gib": round(memory, 1),
        "platform": platform.platform(),
        "load_average_before": [round(value, 2) for value in os.getloadavg()],
    }


def git_revision() -> str:
    def git(*arguments):
        return subprocess.run(
            ["git", *arguments], cwd=BASE_DIR, capture_output=True, text=True, check=False
        ).stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + ("+dirty" if git("status", "--porcelain") else "")


def main(argv=None) -> int:
    args = parse_args(argv)
    env = bench_environment(args.scale)
    for name in set(os.environ) - set(env):
        del os.environ[name]
    os.environ.update(env)
    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(int(args.max_minutes * 60))
    try:
        report = _run(args, env)
    except RunTimeout as error:
        log(str(error))
        return 1
    finally:
        signal.alarm(0)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    from bench import report as reporting

    reporting.write_json(RESULTS_DIR / "latest.json", report)
    markdown = reporting.markdown(report)
    (RESULTS_DIR / "latest.md").write_text(markdown, encoding="utf-8")
    log(f"wrote {RESULTS_DIR / 'latest.json'} and latest.md")
    print()
    print(markdown)
    return 0


def _run(args, env) -> dict:
    machine = machine_info()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    scale = SCALES[args.scale]
    directory = var_dir(scale.name)
    directory.mkdir(parents=True, exist_ok=True)
    log(f"scale {scale.name}; database and files under {directory} unless DATABASE_URL is set")

    import django

    django.setup()
    import gunicorn
    import wagtail
    from django.db import connection, connections

    from bench import prepare, queries, sessions
    from bench.generators import generate

    setup = {}
    _result, setup["migrate_s"] = prepare.timed(prepare.migrate)
    log(f"migrated in {setup['migrate_s']} s")
    if args.skip_generate:
        log("data generation skipped (--skip-generate)")
    else:
        setup["generate_s"], total = prepare.timed(generate, scale, log)
        log(f"generated data in {total} s")
    _result, setup["collectstatic_s"] = prepare.timed(prepare.collectstatic)
    log(f"collected static files in {setup['collectstatic_s']} s")
    if args.skip_generate and prepare.index_has_segments(env["SEARCH_DIR"]):
        # The data did not change: its index stands (7-8 minutes saved at the full scale).
        setup["rebuild_index_ok"] = None
        log("search index kept (--skip-generate, and every face's index holds documents)")
    else:
        (indexed, output), setup["rebuild_index_s"] = prepare.timed(
            prepare.rebuild_index, scale.name, env
        )
        setup["rebuild_index_ok"] = indexed
        if indexed:
            log(f"rebuilt the search index in {setup['rebuild_index_s']} s")
        else:
            log(f"WARNING: rebuild_index failed; search runs on whatever index exists:\n{output}")

    database = {
        "vendor": connection.vendor,
        "version": ".".join(str(part) for part in connection.get_database_version()),
    }
    args.selected = with_ids(args.selected)
    roles = {page.role for page in [REFERENCE, *args.selected]} - {"anonymous"}
    keys = {role: sessions.sessions_create(role=role, count=args.concurrency) for role in roles}
    log(f"signed in {args.concurrency} clients as each of: {', '.join(sorted(roles)) or '-'}")
    try:
        counts = {}
        for page in [REFERENCE, *args.selected]:
            key = keys[page.role][0] if page.role in keys else None
            counts[page.name] = queries.count_queries(page, key)
        log(
            "SQL queries per request: "
            + ", ".join(f"{name} {count.steady}" for name, count in counts.items())
        )
        cpu = _cpu_figures(args, keys)
        connections.close_all()
        loads = _serve_and_drive(args, env, keys, sessions.session_cookie_name)
    finally:
        sessions.sessions_delete([key for role_keys in keys.values() for key in role_keys])
        connections.close_all()

    from bench import report as reporting

    reference_load, reference_probe, reference_rates = loads[REFERENCE.name]
    reference = reporting.page_result(
        REFERENCE, reference_load, reference_probe, counts[REFERENCE.name], cpu.get(REFERENCE.name)
    )
    reference["rps_runs"] = [round(rate, 1) for rate in reference_rates]
    results = [
        reporting.page_result(page, *loads[page.name], counts[page.name], cpu.get(page.name))
        for page in args.selected
    ]
    reporting.add_ratios(results, reference)
    machine["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    return {
        "started_at": started_at,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale.as_dict(),
        "machine": machine,
        "software": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "gunicorn": gunicorn.__version__,
        },
        "git": git_revision(),
        "database": database,
        "run": {
            "settings_module": env["DJANGO_SETTINGS_MODULE"],
            "workers": args.workers,
            "worker_class": "sync",
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "cpu_repeat": args.cpu_repeat,
        },
        "setup": setup,
        "reference": reference,
        "pages": results,
    }


def _cpu_figures(args, keys) -> dict:
    """CPU ms per request of each page in this process (bench.cpu): robust where requests/s
    are not, since it counts only this process's CPU. The reference is measured before and after
    the pages and its lower median kept."""
    if not args.cpu_repeat:
        return {}
    from bench.cpu import measure

    warmup = min(10, args.cpu_repeat)

    def timed(page):
        # The page's readers are the load's: each client's user in turn.
        try:
            return measure(page, keys.get(page.role), repeat=args.cpu_repeat, warmup=warmup)
        except Exception as error:  # a broken page is reported by the load run, not fatal
            log(f"WARNING: CPU of {page.name} not measured: {error!r}"[:300])
            return None

    first = timed(REFERENCE)
    figures = {page.name: timed(page) for page in args.selected}
    last = timed(REFERENCE)
    runs = [run for run in (first, last) if run]
    if runs:
        figures[REFERENCE.name] = min(runs, key=lambda run: run["cpu_ms_median"])
    log(
        "CPU ms per request (in process): "
        + ", ".join(f"{name} {row['cpu_ms_median']:.2f}" for name, row in figures.items() if row)
    )
    return figures


def _serve_and_drive(args, env, keys, cookie_name) -> dict:
    """Start the servers, drive the reference, each page and the reference again; returns, per
    page name, (LoadResult, probe); the reference's entry also has both runs' rates."""
    from bench import load, server
    from bench.report import percentile

    faces = sorted({page.face for page in [REFERENCE, *args.selected]})
    log_dir = var_dir(args.scale) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    servers = {}

    def drive(page):
        target = servers[page.face]
        cookies = [
            f"{cookie_name(page.face)}={key}" if key else None
            for key in keys.get(page.role, [None] * args.concurrency)
        ]
        status, headers, body = load.probe(
            host=server.HOST, port=target.port, path=page.path, cookie=cookies[0]
        )
        probe = {"status": status, "location": headers.get("location", ""), "bytes": len(body)}
        if status != page.expect:
            log(
                f"WARNING: {page.name} answers {status} (expected {page.expect})"
                + (f" -> {probe['location']}" if probe["location"] else "")
            )
        result = load.drive(
            host=server.HOST,
            port=target.port,
            path=page.path,
            cookies=cookies,
            duration=args.duration,
            warmup=args.warmup,
        )
        p95 = percentile(sorted(result.latencies), 95) or 0.0
        log(
            f"{page.name:<16} {result.rate:8.1f} req/s  p95 {p95 * 1000:7.1f} ms  "
            f"statuses {dict(result.statuses)}"
            + (f"  failures {dict(result.failures)}" if result.failures else "")
        )
        return result, probe

    try:
        for face in faces:
            servers[face] = server.start(
                face, env=env, workers=args.workers, log_dir=log_dir, cwd=BASE_DIR
            )
        for face in faces:
            server.wait_ready(servers[face])
            log(f"{face} served by gunicorn on {servers[face].base_url} ({args.workers} workers)")
        if not server.wait_settled(list(servers.values())):
            log("WARNING: the servers were still busy after starting; measuring anyway")
        loads = {}
        # The reference first and last: its two rates show how steady the machine was.
        first, probe = drive(REFERENCE)
        for page in args.selected:
            loads[page.name] = drive(page)
        last, _probe = drive(REFERENCE)
        loads[REFERENCE.name] = (first.merged(last), probe, [first.rate, last.rate])
        return loads
    finally:
        for face in faces:
            if face in servers:
                server.stop(servers[face])
        log("servers stopped")
