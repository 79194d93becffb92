"""The board, notice and home pages run a bounded number of queries at 100 and 10,000 notices.

10,000 pages through `add_child` would take minutes, so they are written in bulk with computed
tree paths (`bench.generators.bulletins.notices_bulk_create`).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from bench.generators.bulletins import notices_bulk_create
from bulletins.models import Notice
from bulletins.services import notice_acknowledge
from portal.sites import site_for_face
from tests.factories.bulletins import NoticeFactory, channel
from tests.factories.people import EmployeeFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

SIZES = (100, 10_000)
# The board pages read its discussion topics too (one query). A notice read before takes the
# page, the reader's boards and one query for its board and the reader's state (4 with the
# session here); its editors' summary three more.
LIMITS = {"home": 8, "board": 16, "notice": 6, "board (head)": 17, "notice (head)": 9}


def test_bulletin_pages_have_bounded_queries(client, intranet, sales, sales_head, sales_board):
    reader = EmployeeFactory(department=sales).user
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])
    notice_acknowledge(notice=notice, user=reader)
    site = site_for_face("intranet")
    pages = {
        "home": (reader, "/"),
        "board": (reader, sales_board.relative_url(site)),
        "notice": (reader, notice.relative_url(site)),
        "board (head)": (sales_head.user, sales_board.relative_url(site) + "?year=2026&q=通知"),
        "notice (head)": (sales_head.user, notice.relative_url(site)),
    }
    now = timezone.now()
    counts = {}
    for size in SIZES:
        missing = size - Notice.objects.count()
        rows = [
            {
                "title": f"通知{index}",
                "published": now - timedelta(minutes=index),
                "pinned": index % 97 == 0,
                "must_acknowledge": index % 10 == 0,
            }
            for index in range(missing)
        ]
        notices_bulk_create(board=sales_board, rows=rows[: missing // 2])
        notices_bulk_create(board=channel(), rows=rows[missing // 2 :])
        for name, (user, url) in pages.items():
            client.force_login(user)
            client.get(url)
            counts.setdefault(name, {})[size] = count_queries(client, url)
    for name, by_size in counts.items():
        assert by_size[SIZES[0]] == by_size[SIZES[1]], f"{name}: queries grow {by_size}"
        assert by_size[SIZES[1]] <= LIMITS[name], f"{name}: {by_size}"
