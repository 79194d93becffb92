"""Concurrent clients driving one URL for a fixed time.

The clients speak plain HTTP/1.1 over asyncio streams, one connection per request
(`Connection: close`, as gunicorn's sync workers answer anyway). The load generator shares the
machine with the servers, so it is kept as lean as possible: a heavier client would use up CPU
the servers need and lower the reference ceiling more than the pages.
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

REQUEST_TIMEOUT = 30.0  # gunicorn's own worker timeout


@dataclass
class LoadResult:
    duration: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, every answered request
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # no answer: exception name -> count
    bytes_total: int = 0

    @property
    def answered(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.answered / self.duration if self.duration else 0.0

    def merged(self, other: "LoadResult") -> "LoadResult":
        """Both runs as one: their requests over their summed time."""
        return LoadResult(
            duration=self.duration + other.duration,
            latencies=self.latencies + other.latencies,
            statuses=self.statuses + other.statuses,
            failures=self.failures + other.failures,
            bytes_total=self.bytes_total + other.bytes_total,
        )


class IncompleteResponse(Exception):
    pass


def build_request(host: str, port: int, path: str, cookie: str | None) -> bytes:
    target = quote(path, safe="/?=&%:+,;@")
    lines = [
        f"GET {target} HTTP/1.1",
        f"Host: {host}:{port}",
        "User-Agent: portal-bench",
        "Accept: text/html,*/*",
        "Connection: close",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _exchange(host: str, port: int, request: bytes) -> tuple[int, dict, bytes]:
    """One request on a new connection; returns (status, headers, body)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        data = await reader.read()  # to the end: the server closes the connection
    finally:
        writer.close()
    head, _separator, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1."):
        raise IncompleteResponse("no status line")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    length = headers.get("content-length")
    if length is not None and int(length) != len(body):
        raise IncompleteResponse("body shorter than Content-Length")
    return int(head[9:12]), headers, body


async def fetch(host: str, port: int, request: bytes) -> tuple[int, int]:
    """One request; returns (status, body length)."""
    status, _headers, body = await _exchange(host, port, request)
    return status, len(body)


async def _client(host, port, request, deadline, result: LoadResult | None):
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        started = time.perf_counter()
        try:
            status, size = await asyncio.wait_for(fetch(host, port, request), REQUEST_TIMEOUT)
        except (OSError, TimeoutError, IncompleteResponse, ValueError) as error:
            if result is not None:
                result.failures[type(error).__name__] += 1
            continue
        if result is not None:
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            result.bytes_total += size


async def _drive(host, port, path, cookies, duration, warmup) -> LoadResult:
    loop = asyncio.get_running_loop()
    requests = [build_request(host, port, path, cookie) for cookie in cookies]
    if warmup > 0:
        deadline = loop.time() + warmup
        await asyncio.gather(*(_client(host, port, r, deadline, None) for r in requests))
    result = LoadResult()
    started = time.perf_counter()
    deadline = loop.time() + duration
    await asyncio.gather(*(_client(host, port, r, deadline, result) for r in requests))
    # Requests started before the deadline are waited for and counted, so the rate is over the
    # time until the last one finished.
    result.duration = time.perf_counter() - started
    return result


def drive(
    *, host: str, port: int, path: str, cookies: list[str | None], duration: float, warmup: float
) -> LoadResult:
    """len(cookies) concurrent clients, each sending its own cookie header (or none), request
    after request until `duration` seconds are up, after `warmup` seconds that are not counted."""
    return asyncio.run(_drive(host, port, path, cookies, duration, warmup))


def probe(*, host: str, port: int, path: str, cookie: str | None) -> tuple[int, dict, bytes]:
    """A single request: (status, headers, body)."""
    request = build_request(host, port, path, cookie)
    return asyncio.run(asyncio.wait_for(_exchange(host, port, request), REQUEST_TIMEOUT))
