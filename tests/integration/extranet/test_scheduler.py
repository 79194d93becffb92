"""The periodic-task scheduler (portal.scheduling, `run_scheduler`)."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks import task

from portal import scheduling
from portal.models import AuditEntry
from portal.services import audit_record
from tests.worker import run_worker

SHANGHAI = ZoneInfo("Asia/Shanghai")


@task(queue_name="default")
def scheduled_probe() -> None:
    audit_record(actor=None, action="test.scheduled_probe")


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(scheduling, "REGISTRY", {})
    return scheduling.REGISTRY


def test_daily_task_is_due_once_after_its_time():
    daily = scheduling.PeriodicTask("d", "x.y", daily_at=time(2, 0))
    before = datetime(2026, 11, 23, 1, 59, tzinfo=SHANGHAI)
    after = datetime(2026, 11, 23, 2, 0, tzinfo=SHANGHAI)
    assert not daily.is_due(before, None)
    assert daily.is_due(after, None)
    assert not daily.is_due(after + timedelta(hours=5), after)
    assert daily.is_due(after + timedelta(days=1), after)


def test_interval_task_is_due_every_interval():
    periodic = scheduling.PeriodicTask("i", "x.y", every=timedelta(minutes=10))
    start = datetime(2026, 11, 23, 1, 0, tzinfo=SHANGHAI)
    assert periodic.is_due(start, None)
    assert not periodic.is_due(start + timedelta(minutes=9), start)
    assert periodic.is_due(start + timedelta(minutes=10), start)


def test_a_task_needs_exactly_one_schedule():
    with pytest.raises(ValueError, match="exactly one"):
        scheduling.PeriodicTask("bad", "x.y")


@pytest.mark.django_db
def test_run_scheduler_enqueues_due_tasks_for_the_worker(registry):
    scheduling.register(
        "probe", "tests.integration.extranet.test_scheduler.scheduled_probe", every=timedelta(1)
    )
    output = StringIO()
    call_command("run_scheduler", "--once", stdout=output)
    assert "enqueued probe" in output.getvalue()
    assert AuditEntry.objects.filter(action="test.scheduled_probe").count() == 0
    run_worker("default")
    assert AuditEntry.objects.filter(action="test.scheduled_probe").count() == 1


def test_run_scheduler_stops_at_once_on_sigterm(monkeypatch):
    # A deploy (or `make run` ending) sends SIGTERM: the scheduler must not sleep out the rest
    # of its interval first. The signal is sent once the command's own handler is in place
    # (its first check); the handlers of the test process are put back afterwards.
    import os
    import signal
    import threading
    import time as clock

    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    timers = []

    def first_check(now, last_runs):
        if not timers:
            timers.append(threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)))
            timers[0].start()
        return []

    monkeypatch.setattr(scheduling, "run_due", first_check)
    output = StringIO()
    started = clock.monotonic()
    try:
        call_command("run_scheduler", "--interval", "120", stdout=output)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert clock.monotonic() - started < 30  # not the 120 s interval
    assert "Scheduler stopped." in output.getvalue()
