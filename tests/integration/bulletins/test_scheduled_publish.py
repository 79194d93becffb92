"""Scheduled notices go live when the bulletins' scheduled-publishing task runs in the worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bulletins.models import Notice
from portal import scheduling
from tests.factories.bulletins import NoticeFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def _scheduled(board, *, go_live_at):
    notice = NoticeFactory(board=board, live=False, first_published_at=None)
    notice.go_live_at = go_live_at
    notice.save_revision(approved_go_live_at=go_live_at)
    notice.refresh_from_db()
    return notice


def test_a_notice_due_goes_live_and_one_not_yet_due_waits(sales_board):
    due = _scheduled(sales_board, go_live_at=timezone.now() - timedelta(minutes=1))
    later = _scheduled(sales_board, go_live_at=timezone.now() + timedelta(days=1))
    assert not Notice.objects.get(pk=due.pk).live

    # As the portal's scheduler does it: the registered periodic task, enqueued when due.
    periodic = scheduling.REGISTRY["bulletins.scheduled_publish"]
    assert periodic.is_due(timezone.now(), last_run=None)
    periodic.enqueue()
    run_worker()

    assert Notice.objects.get(pk=due.pk).live
    assert not Notice.objects.get(pk=later.pk).live
