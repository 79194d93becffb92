"""Work that survives a dead worker: task leases, the sweep, and how each task is resumed.

django_tasks_db marks a task row RUNNING when a worker claims it and SUCCESSFUL or FAILED when
the task returns or raises. A worker killed in between (SIGKILL, the OOM killer, a power cut)
leaves the row RUNNING for ever, and a chained task (a mass notice sends a batch, then queues
the next) stops for good. So:

* **Lease.** While a worker runs a task it holds a `TaskLease` row keyed by the task row's id,
  taken when the task starts (`task_started`), renewed by a heartbeat thread every quarter of
  `TASK_LEASE_SECONDS`, and dropped when the task ends (`task_finished`). A worker that dies
  stops renewing it.
* **Sweep.** `sweep()` — run by `python -m portal run_scheduler` every
  `TASK_SWEEP_INTERVAL_SECONDS` — finds RUNNING rows whose lease has expired (or that never
  got one and started more than a lease ago), marks each FAILED with `WorkerLost` as its
  error, and hands it to the resume handler its app registered. The flip is a conditional
  UPDATE, so two sweeps never resume the same row twice.
* **Resume.** Every task of the project is registered here by its app (in `ready()`), with a
  resume handler or `retry=True` (queue it again with the same arguments), or with neither and
  a reason why that is safe. `tests/unit/portal/test_tasks_lease.py` fails when a task is not
  registered. A task interrupted `TASK_RESUME_LIMIT` times with the same arguments is not
  queued again by `retry` (a file that crashes the worker is not parsed for ever).

A worker that was only stalled, not dead, may still finish the task after the sweep; the row
then ends SUCCESSFUL or FAILED as the worker reports. Resume handlers must therefore be safe
to run next to a late original: idempotent work, or claims made in committed rows (as notices
do).

The core imports no feature app: apps register their own handlers.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from portal.models import TaskLease

logger = logging.getLogger(__name__)

RUNNING, READY, FAILED = "RUNNING", "READY", "FAILED"


class WorkerLost(Exception):
    """The error recorded on a task row whose worker died while running it."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def lease_seconds() -> float:
    return float(getattr(settings, "TASK_LEASE_SECONDS", 120))


def resume_limit() -> int:
    return int(getattr(settings, "TASK_RESUME_LIMIT", 3))


# ---------------------------------------------------------------------------------------------
# What to do with each task when its worker died


@dataclass(frozen=True)
class Interrupted:
    """A task row the sweep found dead, as its resume handler sees it."""

    task_id: str
    task_path: str
    args: list
    kwargs: dict
    queue_name: str
    priority: int
    backend_name: str
    worker_id: str
    started_at: datetime | None
    earlier: int  # how many times the same task with the same arguments was interrupted before


@dataclass(frozen=True)
class Recovery:
    task_path: str
    resume: Callable[[Interrupted], object] | None
    why: str


RECOVERIES: dict[str, Recovery] = {}


def register(
    task_path: str,
    *,
    why: str,
    retry: bool = False,
    resume: Callable[[Interrupted], object] | None = None,
) -> Recovery:
    """Say what happens to `task_path` (a task's dotted path) when its worker dies: `resume`
    is called with the `Interrupted` row, `retry=True` queues the task again with the same
    arguments (for idempotent work), neither leaves it failed. `why` says why that is right."""
    if retry and resume is not None:
        raise ValueError(f"{task_path}: give `retry` or `resume`, not both.")
    recovery = Recovery(task_path=task_path, resume=requeue if retry else resume, why=why)
    RECOVERIES[task_path] = recovery
    return recovery


def resumes(task_path: str) -> bool:
    recovery = RECOVERIES.get(task_path)
    return recovery is not None and recovery.resume is not None


def requeue(interrupted: Interrupted, *, limit: bool = True) -> bool:
    """Queue the interrupted task again with its arguments, unless the same task with the same
    arguments is already waiting (idempotent) or, with `limit`, was interrupted too often."""
    if limit and interrupted.earlier >= resume_limit():
        logger.error(
            "Task %s (%s) interrupted %d times; not queued again.",
            interrupted.task_path,
            interrupted.task_id,
            interrupted.earlier + 1,
        )
        return False
    waiting = DBTaskResult.objects.filter(
        status=READY,
        task_path=interrupted.task_path,
        args_kwargs={"args": interrupted.args, "kwargs": interrupted.kwargs},
    )
    if waiting.exists():
        return False
    task = import_string(interrupted.task_path).using(
        queue_name=interrupted.queue_name,
        priority=interrupted.priority,
        backend=interrupted.backend_name,
    )
    task.enqueue(*interrupted.args, **interrupted.kwargs)
    return True


# ---------------------------------------------------------------------------------------------
# The lease, held by the worker running a task


class _Heartbeat(threading.Thread):
    """Renews one task's lease until stopped, or until the task row is no longer RUNNING."""

    def __init__(self, task_id: str):
        super().__init__(name=f"task-lease-{task_id}", daemon=True)
        self.task_id = task_id
        self.stopping = threading.Event()

    def run(self):
        used_database = False
        try:
            while not self.stopping.wait(lease_seconds() / 4):
                used_database = True
                try:
                    if not self.renew():
                        return
                except Exception:  # a database hiccup: try again at the next beat
                    logger.warning("Could not renew the lease of task %s", self.task_id)
        finally:
            if used_database:
                connections.close_all()  # this thread's own connections

    def renew(self) -> bool:
        if not DBTaskResult.objects.filter(pk=self.task_id, status=RUNNING).exists():
            TaskLease.objects.filter(task_id=self.task_id).delete()
            return False
        now = timezone.now()
        TaskLease.objects.filter(task_id=self.task_id).update(
            renewed_at=now, expires_at=now + timedelta(seconds=lease_seconds())
        )
        return True

    def stop(self):
        self.stopping.set()
        if self is not threading.current_thread():
            self.join(timeout=10)


_heartbeats: dict[str, _Heartbeat] = {}
_heartbeats_lock = threading.Lock()


def lease_take(*, task_id: str, task_path: str, worker_id: str) -> TaskLease:
    """Called as a worker starts a task: take its lease and start renewing it. A worker runs
    one task at a time, so any heartbeat left from an earlier task of this process stops."""
    with _heartbeats_lock:
        earlier = list(_heartbeats.values())
        _heartbeats.clear()
    for heartbeat in earlier:
        heartbeat.stop()
    now = timezone.now()
    lease, _created = TaskLease.objects.update_or_create(
        task_id=task_id,
        defaults={
            "task_path": task_path[:255],
            "worker_id": worker_id[:64],
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "taken_at": now,
            "renewed_at": now,
            "expires_at": now + timedelta(seconds=lease_seconds()),
        },
    )
    heartbeat = _Heartbeat(str(task_id))
    with _heartbeats_lock:
        _heartbeats[str(task_id)] = heartbeat
    heartbeat.start()
    return lease


def lease_release(*, task_id: str) -> None:
    """Called as the task ends (returned or raised): stop renewing, drop the lease."""
    with _heartbeats_lock:
        heartbeat = _heartbeats.pop(str(task_id), None)
    if heartbeat is not None:
        heartbeat.stop()
    TaskLease.objects.filter(task_id=task_id).delete()


# ---------------------------------------------------------------------------------------------
# The sweep, run by the scheduler


def dead_tasks(*, now: datetime | None = None):
    """RUNNING task rows whose worker is gone: no live lease, started more than a lease ago."""
    now = now or timezone.now()
    live = TaskLease.objects.filter(expires_at__gte=now).values("task_id")
    return (
        DBTaskResult.objects.filter(status=RUNNING)
        .exclude(pk__in=live)
        .filter(started_at__lt=now - timedelta(seconds=lease_seconds()))
        .order_by("started_at")
    )


def sweep(*, now: datetime | None = None, limit: int = 200) -> list[Interrupted]:
    """Fail every task a dead worker left RUNNING and resume it as its app said. Returns the
    rows this sweep took over (another sweep running at the same time takes the others)."""
    now = now or timezone.now()
    taken = []
    for row in dead_tasks(now=now)[:limit]:
        interrupted = _take_over(row, now)
        if interrupted is not None:
            taken.append(interrupted)
    return taken


def _take_over(row: DBTaskResult, now: datetime) -> Interrupted | None:
    """Fail the row and resume it, in one transaction: a resume handler that raises leaves the
    row RUNNING for the next sweep (and logs why), so no work is dropped silently."""
    lease = TaskLease.objects.filter(task_id=row.pk).first()
    worker_id = row.worker_ids[-1] if row.worker_ids else ""
    last_seen = lease.renewed_at if lease is not None else row.started_at
    message = (
        f"{WORKER_LOST}: worker {worker_id or '?'} stopped while running this task "
        f"(last seen {last_seen:%Y-%m-%d %H:%M:%S %Z}); failed by the sweep at "
        f"{now:%Y-%m-%d %H:%M:%S %Z}.\n"
    )
    interrupted = Interrupted(
        task_id=str(row.pk),
        task_path=row.task_path,
        args=list(row.args_kwargs.get("args", [])),
        kwargs=dict(row.args_kwargs.get("kwargs", {})),
        queue_name=row.queue_name,
        priority=row.priority,
        backend_name=row.backend_name,
        worker_id=worker_id,
        started_at=row.started_at,
        earlier=DBTaskResult.objects.filter(
            task_path=row.task_path, exception_class_path=WORKER_LOST, args_kwargs=row.args_kwargs
        )
        .exclude(pk=row.pk)
        .count(),
    )
    recovery = RECOVERIES.get(row.task_path)
    resume = recovery.resume if recovery is not None else None
    try:
        with transaction.atomic():
            flipped = DBTaskResult.objects.filter(pk=row.pk, status=RUNNING).update(
                status=FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=WORKER_LOST,
                traceback=message,
            )
            if not flipped:
                return None  # finished meanwhile, or taken over by another sweep
            TaskLease.objects.filter(task_id=row.pk).delete()
            if resume is not None:
                resume(interrupted)
    except Exception:
        logger.exception(
            "Resuming task %s (%s) failed; left for the next sweep", row.task_path, row.pk
        )
        return None
    logger.warning(
        "Task %s (%s) was left running by worker %s, last seen %s; marked failed and %s.",
        row.task_path,
        row.pk,
        worker_id or "?",
        last_seen,
        "resumed"
        if resume is not None
        else "not resumed (registered as safe to drop)"
        if recovery is not None
        else "not resumed (no recovery registered)",
    )
    return interrupted
