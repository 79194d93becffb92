"""Bulletins: notices on every department board and the factory channels.

Thousands of Wagtail pages through `add_child` would take minutes, so `notices_bulk_create`
writes the page rows with `bulk_create` and treebeard paths computed here, then the notice rows
(Django cannot bulk-create a multi-table child), and fixes the board's child count.
"""

import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from bench.generators import generator
from bulletins.models import Board, Notice

BATCH = 1000
# Notices per scale: a share on the channels (news), the rest spread over department boards.
NOTICES = {"small": 2_000, "full": 20_000}
TITLES = ["关于{}的通知", "{}工作安排", "{}情况通报", "{}会议纪要", "关于加强{}的意见"]
TOPICS = ["安全生产", "质量检验", "设备维护", "原料采购", "节能降耗", "市场信息", "卷烟销售"]


def notices_bulk_create(*, board: Board, rows: list[dict]) -> int:
    """Append live notices to `board`. Each row gives `title` and may give `body`, `pinned`,
    `slug`, `must_acknowledge`, `audience_all`, `expires_at`, `published`. Returns how many
    were made."""
    if not rows:
        return 0
    content_type = ContentType.objects.get_for_model(Notice)
    locale = Locale.get_default()
    board = Page.objects.get(pk=board.pk)
    last = board.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    pages = []
    for offset, row in enumerate(rows, start=1):
        slug = row.get("slug") or f"n{uuid.uuid4().hex[:12]}"
        published = row.get("published", now)
        pages.append(
            Page(
                title=row["title"],
                draft_title=row["title"],
                slug=slug,
                content_type=content_type,
                live=True,
                url_path=f"{board.url_path}{slug}/",
                path=Page._get_path(board.path, board.depth + 1, step + offset),
                depth=board.depth + 1,
                numchild=0,
                first_published_at=published,
                last_published_at=published,
                locale=locale,
                translation_key=uuid.uuid4(),
            )
        )
    with transaction.atomic():
        created = Page.objects.bulk_create(pages, batch_size=BATCH)
        fields = ["page_ptr_id", "body", "audience_all", "expires_at", "pinned", "must_acknowledge"]
        table = connection.ops.quote_name(Notice._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(field) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        values = [
            (
                page.pk,
                row.get("body", "<p>请各部门遵照执行。</p>"),
                row.get("audience_all", True),
                row.get("expires_at"),
                row.get("pinned", False),
                row.get("must_acknowledge", False),
            )
            for page, row in zip(created, rows, strict=True)
        ]
        with connection.cursor() as cursor:
            # Names from the model's own metadata, values as parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, values)
        Page.objects.filter(pk=board.pk).update(numchild=board.numchild + len(rows))
    from bulletins.services import notices_changed

    notices_changed()
    return len(rows)


@generator("bulletins")
def bulletins(scale, rng):
    from bulletins.services import bulletins_sync

    bulletins_sync()
    wanted = NOTICES.get(scale.name, NOTICES["small"])
    if Notice.objects.count() >= wanted:
        return
    boards = list(Board.objects.order_by("path"))
    news = [board for board in boards if board.is_channel]
    now = timezone.now()
    per_board = {}
    for index in range(wanted):
        board = rng.choice(news) if rng.random() < 0.2 else rng.choice(boards)
        title = rng.choice(TITLES).format(rng.choice(TOPICS))
        per_board.setdefault(board.pk, (board, []))[1].append(
            {
                "title": f"{title}（{index + 1}）",
                "published": now - timedelta(minutes=index * 37),
                "pinned": rng.random() < 0.01,
                "must_acknowledge": rng.random() < 0.05,
            }
        )
    for board, rows in per_board.values():
        # Oldest first, so that tree order follows publication.
        notices_bulk_create(board=board, rows=rows[::-1])


# The discussion topic the bench reads (bench/pages.py), on the News channel so that every
# employee may open it, with this many suggestions from the forum generator's pseudonyms (the
# forum generator runs first), a fifth of them answered.
DISCUSSION_REPLIES = 300


@generator("bulletins-discussion")
def bulletins_discussion(scale, rng):
    from bench.pages import BULLETINS_DISCUSSION_ID
    from bulletins.models import Discussion, SuggestionMark
    from bulletins.services import discussion_forum_board
    from forum.models import Board as ForumBoard
    from forum.models import Post, Pseudonym, Topic

    if Discussion.objects.filter(pk=BULLETINS_DISCUSSION_ID).exists():
        return
    authors = list(Pseudonym.objects.order_by("pk").values_list("pk", flat=True)[:500])
    if not authors:
        return
    board = Board.objects.get(kind=Board.Kind.NEWS)
    now = timezone.now()
    start = now - timedelta(days=3)
    with transaction.atomic():
        forum_board = discussion_forum_board(board)
        topic = Topic.objects.create(
            board=forum_board,
            title="如何降低车间能耗？",
            signed_as=board.title,
            created_at=start,
            is_locked=True,
        )
        count = DISCUSSION_REPLIES + 1
        Post.objects.bulk_create(
            [
                Post(
                    topic=topic,
                    number=number,
                    author_id=None if number == 1 else rng.choice(authors),
                    signed_as=board.title if number == 1 else "",
                    body=f"建议{number}：下班随手关灯，空压机错峰运行。",
                    body_html=f"<p>建议{number}：下班随手关灯，空压机错峰运行。</p>",
                    created_at=start + timedelta(minutes=number),
                )
                for number in range(1, count + 1)
            ],
            batch_size=BATCH,
        )
        last = Post.objects.get(topic=topic, number=count)
        Topic.objects.filter(pk=topic.pk).update(
            post_count=count,
            reply_count=count - 1,
            last_post_number=count,
            last_post=last,
            last_activity_at=last.created_at,
        )
        ForumBoard.objects.filter(pk=forum_board.pk).update(
            topic_count=1, post_count=count, last_post=last, last_activity_at=last.created_at
        )
        discussion = Discussion.objects.create(
            pk=BULLETINS_DISCUSSION_ID,
            board=board,
            question=topic.title,
            background="电费比去年同期上涨两成，请各位员工献计献策。",
            opens_at=start,
            closes_at=now + timedelta(days=30),
            forum_topic=topic,
        )
        post_ids = Post.objects.filter(topic=topic, number__gt=1).values_list("pk", flat=True)
        statuses = SuggestionMark.Status.values
        SuggestionMark.objects.bulk_create(
            [
                SuggestionMark(
                    discussion=discussion,
                    post_id=post_id,
                    status=rng.choice(statuses),
                    answer="感谢建议，正在评估。",
                )
                for post_id in list(post_ids)[::5]
            ],
            batch_size=BATCH,
        )


# The must-acknowledge notice whose acknowledgement report the bench reads (bench/pages.py): on
# the board of the department the bench's sales administrator heads, for all staff, read by
# three in five employees and acknowledged by two in five.
REPORT_NOTICE_SLUG = "bench-acknowledge"


@generator("bulletins-report")
def bulletins_report(scale, rng):
    from bulletins.models import Acknowledgement, NoticeRead
    from portal.models import Employee

    if Notice.objects.filter(slug=REPORT_NOTICE_SLUG).exists():
        return
    head = Employee.objects.filter(employee_number="E00008").select_related("department").first()
    board = Board.objects.filter(department=head.department).first() if head else None
    if board is None:
        return
    now = timezone.now()
    notices_bulk_create(
        board=board,
        rows=[
            {
                "title": "关于开展安全生产月活动的通知（须确认）",
                "slug": REPORT_NOTICE_SLUG,
                "must_acknowledge": True,
                "published": now - timedelta(days=2),
            }
        ],
    )
    notice = Notice.objects.get(slug=REPORT_NOTICE_SLUG)
    user_ids = list(Employee.objects.order_by("pk").values_list("user_id", flat=True))
    read = [user_id for user_id in user_ids if rng.random() < 0.6]
    acknowledged = [user_id for user_id in read if rng.random() < 0.67]
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=notice, user_id=user_id) for user_id in read], batch_size=BATCH
    )
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(notice=notice, user_id=user_id) for user_id in acknowledged],
        batch_size=BATCH,
    )
    # bulk_create sends no signal: the report's kept counts (and the people generated before,
    # in bulk too) are counted anew.
    from bulletins.services import responses_changed, staff_changed

    responses_changed(notice_id=notice.pk)
    staff_changed()
