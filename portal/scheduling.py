"""Periodic tasks: a small registry read by `python -m portal run_scheduler`.

An app registers its periodic tasks in its `AppConfig.ready()`:

    scheduling.register(
        "extranet.grades", "extranet.crm.tasks.grades_recompute_task", daily_at=time(2, 0)
    )

The scheduler only *enqueues* due tasks on the task queue (django_tasks); the workers run them.
It keeps no state on disk: after a restart it enqueues every daily task whose time has passed
today and every interval task at once, so registered tasks must be idempotent — a duplicate run
is harmless, a missed one is not.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    task_path: str  # dotted path of a django_tasks task
    every: timedelta | None = None
    daily_at: time | None = None  # local time (settings.TIME_ZONE)

    def __post_init__(self):
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"{self.name}: give exactly one of `every` and `daily_at`.")

    def is_due(self, now: datetime, last_run: datetime | None) -> bool:
        """Whether the task should be enqueued at `now`, given when it last was (None: never,
        as after a restart)."""
        if self.every is not None:
            return last_run is None or now - last_run >= self.every
        local = timezone.localtime(now)
        slot = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        if local < slot:
            return False
        return last_run is None or last_run < slot

    def enqueue(self):
        return import_string(self.task_path).enqueue()


REGISTRY: dict[str, PeriodicTask] = {}


def register(name: str, task_path: str, *, every=None, daily_at=None) -> PeriodicTask:
    """Add a periodic task (registering the same name again replaces it)."""
    periodic = PeriodicTask(name=name, task_path=task_path, every=every, daily_at=daily_at)
    REGISTRY[name] = periodic
    return periodic


def run_due(now: datetime, last_runs: dict[str, datetime]) -> list[str]:
    """Enqueue every registered task that is due; records the run in `last_runs`. Returns the
    names enqueued."""
    enqueued = []
    for name, periodic in sorted(REGISTRY.items()):
        if periodic.is_due(now, last_runs.get(name)):
            periodic.enqueue()
            last_runs[name] = now
            enqueued.append(name)
    return enqueued
