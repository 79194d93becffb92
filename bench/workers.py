"""Memory per gunicorn worker and the first requests' latency, with and without the production
configuration (portal/gunicorn_conf.py: the project preloaded and warmed up in the master).

    DATABASE_URL=postgres://… .venv/bin/python -m bench.workers [--face intranet] [--workers 4]

Uses the bench's environment and data (`python -m bench.cpu` or `make bench` first). For each
configuration it starts one face, times the first request each worker can get (as many
concurrent signed-in GETs of the face's home page as there are workers, right after /healthz
answers), drives a few more requests so that every worker has served pages, then reads each
worker's RSS (resident memory, shared pages counted in full) and PSS (shared pages divided among
the processes sharing them: what a worker really adds) from /proc.
"""

import argparse
import concurrent.futures
import os
import sys
import time
import urllib.request
from pathlib import Path


def _memory_kib(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _get(url: str, cookie: str | None) -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        response.read()
    return (time.perf_counter() - started) * 1000


def measure(face: str, workers: int, config, env, cookie: str, log_dir: Path) -> dict:
    from bench import server
    from bench.prepare import BASE_DIR

    started = time.perf_counter()
    target = server.start(face, env=env, workers=workers, log_dir=log_dir, cwd=BASE_DIR,
                          config=config)  # fmt: skip
    try:
        server.wait_ready(target)
        ready_s = time.perf_counter() - started
        # /healthz answers as soon as one worker is up: wait for all of them, or the figures
        # below would leave out the workers not yet forked (seen once: 2 of 4).
        deadline = time.monotonic() + 30
        while len(_children(target.process.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.05)
        url = f"{target.base_url}/"
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            first = list(pool.map(lambda _n: _get(url, cookie), range(workers)))
        for _round in range(5):
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                list(pool.map(lambda _n: _get(url, cookie), range(workers * 2)))
        pids = _children(target.process.pid)
        memory = [_memory_kib(pid) for pid in pids]
        master = _memory_kib(target.process.pid)
    finally:
        server.stop(target)
    return {
        "config": config or "gunicorn defaults",
        "ready_s": round(ready_s, 1),
        "first_requests_ms": sorted(round(value) for value in first),
        "workers": len(pids),
        "worker_rss_mib": [round(rss / 1024) for rss, _pss in memory],
        "worker_pss_mib": [round(pss / 1024) for _rss, pss in memory],
        "master_rss_mib": round(master[0] / 1024),
        "total_pss_mib": round((sum(pss for _rss, pss in memory) + master[1]) / 1024),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--face", choices=("intranet", "extranet"), default="intranet")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--config", choices=("both", "defaults", "production"), default="both")
    args = parser.parse_args(argv)
    from bench.prepare import bench_environment, var_dir

    env = bench_environment(args.scale)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from bench import server, sessions

    role = "retailer" if args.face == "extranet" else "employee"
    key = sessions.sessions_create(role=role, count=1)[0]
    connections.close_all()
    cookie = f"{sessions.session_cookie_name(args.face)}={key}"
    log_dir = var_dir(args.scale) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    try:
        configs = {
            "both": (None, server.CONFIG),
            "defaults": (None,),
            "production": (server.CONFIG,),
        }
        for config in configs[args.config]:
            row = measure(args.face, args.workers, config, env, cookie, log_dir)
            print(
                f"{row['config']}: ready in {row['ready_s']} s; first requests "
                f"{row['first_requests_ms']} ms; worker RSS {row['worker_rss_mib']} MiB, "
                f"PSS {row['worker_pss_mib']} MiB; master RSS {row['master_rss_mib']} MiB; "
                f"all processes PSS {row['total_pss_mib']} MiB",
                flush=True,
            )
    finally:
        sessions.sessions_delete([key])
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
