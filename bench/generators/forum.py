"""Forum: boards, pseudonyms for a share of the employees, and `scale.forum_posts` posts.

One topic has 5,000 replies (the bench reads its last page); it is created first with the fixed
id `LONG_TOPIC_ID`, so that `bench/pages.py` can name its URL. The rest of the posts are spread
over topics of 1–60 posts on the open boards (a few boards are restricted to a department).
Counters and last-post pointers are set as the posting services keep them.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from bench.generators import generator
from bench.pages import FORUM_LONG_TOPIC_ID as LONG_TOPIC_ID
from forum.models import Board, Identity, Post, Pseudonym, Topic
from forum.rendering import render_markdown
from forum.services.pseudonyms import ADJECTIVES, NOUNS
from portal.models import Department, Employee

BATCH = 2000
LONG_TOPIC_REPLIES = 5_000
BOARDS = [
    ("general", "综合讨论", "General discussion: anything about work at the factory."),
    ("suggestions", "合理化建议", "Suggestions to improve how we work."),
    ("canteen", "食堂与后勤", "Canteen, dormitories, buses and facilities."),
    ("safety", "安全生产", "Safety on the shop floor."),
    ("training", "学习与培训", "Courses, exams, skills."),
    ("market", "市场动态", "What we hear from the market."),
]
DEPARTMENT_BOARDS = ["production", "quality", "sales"]
SENTENCES = [
    "今天车间的温湿度控制得不错。",
    "建议把卷烟机的保养周期再缩短一些。",
    "食堂的早餐可以多几个品种吗？",
    "The new schedule works better for the night shift.",
    "有没有人知道下个月培训的安排？",
    "I agree, the **warehouse** needs better lighting.",
    "> 引用一下上面的意见\n\n同意。",
    "- 第一点：流程\n- 第二点：记录\n- 第三点：检查",
]


@generator("forum")
def forum(scale, rng):
    # The demo data (seed_demo, run by the people generator) has a few forum posts of its own.
    if Topic.objects.filter(pk=LONG_TOPIC_ID).exists():
        return
    with transaction.atomic():
        boards = _boards()
        authors = _pseudonyms(scale, rng)
        now = timezone.now()
        open_boards = [board for board in boards if board.department_id is None]
        _long_topic(open_boards[0], authors, rng, now)
        # The small scale is smaller than the long topic alone: it still gets other topics.
        remaining = max(scale.forum_posts - (LONG_TOPIC_REPLIES + 1), 1_000)
        _topics(open_boards + boards[len(open_boards) :], authors, rng, now, remaining)
        _counters()


def _boards():
    boards = []
    for index, (slug, name, description) in enumerate(BOARDS):
        boards.append(
            Board.objects.get_or_create(
                slug=f"bench-{slug}",
                defaults={"name": name, "description": description, "sort_order": index},
            )[0]
        )
    for code in DEPARTMENT_BOARDS:
        department = Department.objects.filter(code=code).first()
        if department is None:
            continue
        boards.append(
            Board.objects.get_or_create(
                slug=f"bench-dept-{code}",
                defaults={
                    "name": f"{department.name}内部",
                    "description": "Members of the department only.",
                    "department": department,
                    "sort_order": 100,
                },
            )[0]
        )
    return boards


def _pseudonyms(scale, rng):
    """Pseudonyms for one employee in five (those who post), with their identity rows."""
    user_ids = list(
        Employee.objects.exclude(user_id__in=Identity.objects.values("user_id"))
        .order_by("employee_number")
        .values_list("user_id", flat=True)
    )
    posters = user_ids[::5] or user_ids
    names = []
    for index, _user_id in enumerate(posters):
        names.append(f"{rng.choice(ADJECTIVES)}{rng.choice(NOUNS)}{index:05d}")
    Pseudonym.objects.bulk_create([Pseudonym(name=name) for name in names], batch_size=BATCH)
    by_name = dict(Pseudonym.objects.filter(name__in=names).values_list("name", "pk"))
    Identity.objects.bulk_create(
        [
            Identity(user_id=user_id, pseudonym_id=by_name[name])
            for user_id, name in zip(posters, names, strict=True)
        ],
        batch_size=BATCH,
    )
    return [by_name[name] for name in names]


_rendered: dict[str, str] = {}


def _body(rng):
    body = "\n\n".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 3)))
    if body not in _rendered:
        _rendered[body] = render_markdown(body)
    return body, _rendered[body]


def _long_topic(board, authors, rng, now):
    count = LONG_TOPIC_REPLIES + 1
    start = now - timedelta(minutes=count)
    topic = Topic.objects.create(
        pk=LONG_TOPIC_ID,
        board=board,
        title="关于三班倒排班的长期讨论",
        author_id=authors[0],
        created_at=start,
        is_pinned=True,
    )
    posts = []
    for number in range(1, count + 1):
        body, html = _body(rng)
        posts.append(
            Post(
                topic=topic,
                number=number,
                author_id=rng.choice(authors),
                body=body,
                body_html=html,
                created_at=start + timedelta(minutes=number),
            )
        )
    Post.objects.bulk_create(posts, batch_size=BATCH)


def _topics(boards, authors, rng, now, remaining):
    index = 0
    while remaining > 0:
        size = min(remaining, rng.randint(1, 60))
        remaining -= size
        board = rng.choice(boards)
        start = now - timedelta(hours=rng.randint(1, 24 * 365))
        topic = Topic(
            board=board,
            title=f"讨论 {index}: " + rng.choice(SENTENCES)[:30].replace("\n", " "),
            author_id=rng.choice(authors),
            created_at=start,
        )
        topic.save()
        posts = []
        for number in range(1, size + 1):
            body, html = _body(rng)
            posts.append(
                Post(
                    topic=topic,
                    number=number,
                    author_id=topic.author_id if number == 1 else rng.choice(authors),
                    body=body,
                    body_html=html,
                    created_at=start + timedelta(minutes=number * rng.randint(1, 90)),
                )
            )
        Post.objects.bulk_create(posts, batch_size=BATCH)
        index += 1


def _counters():
    """Counters and pointers in a few statements, as the services would have left them."""
    last_post = Post.objects.filter(topic=OuterRef("pk")).order_by("-number")
    Topic.objects.update(
        post_count=Subquery(
            Post.objects.filter(topic=OuterRef("pk"))
            .values("topic")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        last_post_number=Subquery(
            Post.objects.filter(topic=OuterRef("pk"))
            .values("topic")
            .annotate(n=Max("number"))
            .values("n")
        ),
        last_post=Subquery(last_post.values("pk")[:1]),
        last_activity_at=Subquery(last_post.values("created_at")[:1]),
    )
    Topic.objects.update(reply_count=F("post_count") - 1)
    latest = Topic.objects.filter(board=OuterRef("pk")).order_by("-last_activity_at", "-id")
    Board.objects.update(
        topic_count=Coalesce(
            Subquery(
                Topic.objects.filter(board=OuterRef("pk"))
                .values("board")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            Value(0),
        ),
        post_count=Coalesce(
            Subquery(
                Post.objects.filter(topic__board=OuterRef("pk"))
                .values("topic__board")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            Value(0),
        ),
        last_post=Subquery(latest.values("last_post")[:1]),
        last_activity_at=Subquery(latest.values("last_activity_at")[:1]),
    )
