"""Enqueue the registered periodic tasks (portal.scheduling) when they are due, and sweep for
tasks a dead worker left running (portal.tasks_lease) every TASK_SWEEP_INTERVAL_SECONDS."""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal import scheduling, tasks_lease

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue periodic tasks when they are due (run one next to the task workers)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args, interval, once, **options):
        last_runs: dict = {}
        last_sweep = None
        self._stopping = False

        def stop(*_args):
            self._stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        names = ", ".join(sorted(scheduling.REGISTRY)) or "none"
        self.stdout.write(f"Scheduler started; periodic tasks: {names}")
        while True:
            for name in scheduling.run_due(timezone.now(), last_runs):
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} enqueued {name}")
            if last_sweep is None or (
                time.monotonic() - last_sweep >= settings.TASK_SWEEP_INTERVAL_SECONDS
            ):
                last_sweep = time.monotonic()
                self.sweep()
            if once:
                return
            # Short naps, so that SIGTERM (a deploy, `make run` stopping) ends the process at
            # once rather than after the rest of the interval (a signal does not cut a sleep).
            wake_at = time.monotonic() + interval
            while not self._stopping and time.monotonic() < wake_at:
                time.sleep(min(0.5, max(wake_at - time.monotonic(), 0)))
            if self._stopping:
                self.stdout.write("Scheduler stopped.")
                return

    def sweep(self):
        """Fail and resume the tasks of dead workers. An error (the database away for a
        moment) is logged and the sweep tried again at the next interval: the scheduler keeps
        enqueueing periodic tasks."""
        try:
            taken = tasks_lease.sweep()
        except Exception:
            logger.exception("Sweeping for tasks of dead workers failed; trying again later")
            return
        for dead in taken:
            outcome = "resumed" if tasks_lease.resumes(dead.task_path) else "not resumed"
            self.stdout.write(
                f"{timezone.now():%Y-%m-%d %H:%M:%S} worker {dead.worker_id or '?'} "
                f"died running {dead.task_path} ({dead.task_id}): failed, {outcome}"
            )
