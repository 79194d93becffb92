"""Reads of the bulletins that depend on who asks.

A notice is for its audience: all staff, or the chosen departments together with their sections.
The editors of a board see every notice on it. Expired notices leave the lists (home, board,
feeds) but stay reachable by link and in the board's archive.
"""

from urllib.parse import quote

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from bulletins.board_listing import BoardNoticeRows
from bulletins.models import (
    Acknowledgement,
    Board,
    Discussion,
    FeedToken,
    Notice,
    NoticeAttachment,
    NoticeRead,
    SuggestionMark,
)
from bulletins.permissions import managed_boards, may_manage_board, may_name_delegates
from bulletins.suggestion_counts import suggestion_counts
from forum.selectors import pseudonym_of, topic_replies
from portal.generations import Generation
from portal.models import User
from portal.names import BilingualText
from portal.permissions import Role, has_role
from portal.selectors import employee_of
from portal.sites import site_for_face

BOARD_PAGE_SIZE = 20
HOME_PINNED, HOME_LATEST, HOME_NEWS, HOME_UNACKNOWLEDGED = 5, 8, 6, 10
HOME_DISCUSSIONS = 5
# How many of the audience's most recent notices the home page reads to fill its lists.
HOME_WINDOW = 100
# As many as a page of a forum topic (forum.selectors.POSTS_PER_PAGE).
SUGGESTIONS_PAGE_SIZE = 20
FEED_SIZE = 30
# Seconds the home page's shared lists live at most (expiry times pass without any save).
HOME_CACHE_SECONDS = 60
# The home page's shared lists are cached under this generation: a new one whenever a notice or
# a discussion changes (`bulletins.services.notices_changed`).
NOTICES_GENERATION = Generation("bulletins:notices-generation")
# The index's and the feeds page's written-out lists of boards (`bulletins.board_links`) are
# kept under this generation: a new one whenever a board, the index page, a department, a site
# or a page's place in the tree changes (`bulletins.services.boards_changed`).
BOARDS_GENERATION = Generation("bulletins:boards-generation")


# The acknowledgement reports' counts and pages of people (`bulletins.acknowledgements`) are kept
# under this generation too: a new one whenever an employee, their user or a department is saved
# or deleted (`bulletins.services.staff_changed`), what the notices' audiences are made of.
STAFF_GENERATION = Generation("bulletins:staff-generation")


def responses_generation(notice_id) -> Generation:
    """The generation of a notice's kept report (its counts, its pages of people): a new one
    when a reader's read or acknowledgement of it is recorded."""
    return Generation(f"bulletins:responses:{notice_id}")


def acknowledgements_generation(user_id) -> Generation:
    """The generation of a user's cached must-acknowledge list: a new one when they
    acknowledge a notice."""
    return Generation(f"bulletins:acknowledgements:{user_id}")


AudienceLink = Notice.audience_departments.through


def audience_department_ids(user) -> tuple[int, ...]:
    """The departments a notice may address to reach `user`: theirs and its parent."""
    employee = employee_of(user)
    if employee is None:
        return ()
    department = employee.department
    return tuple(sorted({department.pk, *([department.parent_id] if department.parent_id else [])}))


def _audience_filter(department_ids) -> Q:
    addressed = AudienceLink.objects.filter(
        notice_id=OuterRef("pk"), department_id__in=department_ids
    )
    return Q(audience_all=True) | Q(Exists(addressed))


def _listed(now=None) -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now())


def notices_for_audience(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """Live notices addressed to `user` (not counting what they see as a board's editor)."""
    queryset = Notice.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_employee:
        return queryset.none()
    return queryset.filter(live=True).filter(_audience_filter(audience_department_ids(user)))


def notices_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """Live notices `user` may read: those addressed to them, and every notice of the boards
    they publish on. One queryset; nothing for retailers and anonymous users."""
    queryset = Notice.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_employee:
        return queryset.none()
    queryset = queryset.filter(live=True)
    if user.is_superuser:
        return queryset
    allowed = _audience_filter(audience_department_ids(user))
    for path in managed_boards(user).values():
        allowed |= Q(path__startswith=path)
    return queryset.filter(allowed)


def notices_managed_by(*, user) -> QuerySet:
    """Live notices of the boards `user` publishes on (their report, reminders)."""
    managed = Q(pk__in=[])
    for path in managed_boards(user).values():
        managed |= Q(path__startswith=path)
    return Notice.objects.filter(live=True).filter(managed)


# What the report pages read of a notice (its address, title, audience and whether it asks for
# acknowledgement): building a whole page instance cost more than the rest of the lookup.
REPORT_NOTICE_FIELDS = (
    "pk",
    "path",
    "depth",
    "title",
    "slug",
    "url_path",
    "live",
    "audience_all",
    "must_acknowledge",
)


def notice_managed_by(*, user, notice_id) -> Notice | None:
    """The live notice `notice_id` if it is on a board `user` publishes on (as
    `notices_managed_by` decides, the boards compared here rather than in the query), else
    None. Only what the report reads of it (`REPORT_NOTICE_FIELDS`) is read."""
    paths = tuple(managed_boards(user).values())
    if not paths:
        return None
    try:
        notice = Notice.objects.only(*REPORT_NOTICE_FIELDS).filter(live=True).get(pk=notice_id)
    except (Notice.DoesNotExist, ValueError, TypeError):
        return None
    return notice if notice.path.startswith(paths) else None


def boards_managed_by(*, user) -> QuerySet:
    """The boards `user` publishes on (opening a discussion on one)."""
    return Board.objects.filter(pk__in=list(managed_boards(user)))


def boards_delegated_by(*, user) -> QuerySet:
    """The department boards whose delegates `user` names: those of the departments they head
    (every department board for a system administrator)."""
    if not user.is_authenticated:
        return Board.objects.none()
    boards = Board.objects.filter(department__isnull=False)
    if has_role(user, Role.SYSTEM_ADMINISTRATOR):
        return boards
    return boards.filter(department__head__user_id=user.pk)


def feed_tokens_in_use() -> QuerySet:
    """Feed tokens whose owner may still read the intranet (an active employee): a token of
    anyone else opens no feed."""
    return FeedToken.objects.select_related("user").filter(
        user__is_active=True, user__kind=User.Kind.EMPLOYEE
    )


def _with_acknowledged(queryset, user):
    return queryset.annotate(
        acknowledged=Exists(
            Acknowledgement.objects.filter(notice_id=OuterRef("pk"), user_id=user.pk)
        )
    )


# What a board's list shows of each notice (rows, not pages: twenty page instances cost more to
# build than the rest of the list).
BOARD_LISTING_FIELDS = ("pk", "slug", "title", "pinned", "must_acknowledge", "first_published_at")
# The characters Django's `reverse` leaves as they are in a path.
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


def board_listing(
    *,
    board: Board,
    board_url: str,
    user,
    page_number=None,
    year=None,
    month=None,
    q="",
    archive=False,
    generations=None,
) -> dict:
    """One page of the board's notices `user` may read: pinned first, newest next; expired
    ones only in the archive; filtered by year, month and words of the title or body. Rows
    (dicts of `BOARD_LISTING_FIELDS`, `acknowledged` and `url`), `board_url` being the board's
    address. The rows are read by `bulletins.board_listing` (the rule of `notices_visible_to`,
    written out): a page in the order kept for the reader's audience under the notices' and
    the boards' generations, or, filtered by year or words, the page with its count in one
    statement. `generations`: the notices' and the boards' (`Generation.current_many`), when
    the caller has read them already."""
    if generations is None:
        generations = Generation.current_many(NOTICES_GENERATION, BOARDS_GENERATION)
    rows = BoardNoticeRows(
        board=board,
        user=user,
        department_ids=audience_department_ids(user) if user.is_authenticated else (),
        per_page=BOARD_PAGE_SIZE,
        year=year,
        month=month,
        q=q,
        archive=archive,
        generations=generations,
    )
    page = rows.page(page_number)
    # The notices are the board's children: each one's address is the board's and its slug,
    # written as Wagtail's `reverse` writes it (non-ASCII letters of a slug percent-encoded).
    rows = list(page.object_list)
    for row in rows:
        row["url"] = f"{board_url}{quote(row['slug'], safe=URL_SAFE)}/"
    page.object_list = rows
    may_manage = may_manage_board(user, board)
    return {
        "notices": page,
        "archive": archive,
        "may_manage": may_manage,
        "may_name_delegates": may_manage and may_name_delegates(user, board),
        "filtered": bool(year or q),
    }


# What the notice and report pages show of a notice's board.
BOARD_HEADER_FIELDS = ("pk", "path", "title", "title_en", "url_path", "depth", "kind")


def notice_open_to(*, notice: Notice, user) -> bool | None:
    """What `notice_reader_state` decides without a query: None when `user` may not read
    `notice` at all (not a signed-in employee, or the notice is not live); True when they may
    whatever its audience (a superuser, a notice for all staff, a board they manage); False
    when its audience decides."""
    if not user.is_authenticated or not user.is_employee or not notice.live:
        return None
    return (
        user.is_superuser
        or notice.audience_all
        or notice.path.startswith(tuple(managed_boards(user).values()))
    )


def notice_reader_state(*, notice: Notice, user) -> dict | None:
    """Whether `user` may read `notice` (as `notices_visible_to` decides) and, if so, its board
    and what the notice page needs of the reader (read already, acknowledged, attachments), all
    in one query; None when they may not read it. `notice` is the live page just read."""
    visible = notice_open_to(notice=notice, user=user)
    if visible is None:
        return None
    annotations = {
        "reader_read": Exists(NoticeRead.objects.filter(notice_id=notice.pk, user_id=user.pk)),
        "has_attachments": Exists(NoticeAttachment.objects.filter(notice_id=notice.pk)),
    }
    if notice.must_acknowledge:
        annotations["reader_acknowledged"] = Exists(
            Acknowledgement.objects.filter(notice_id=notice.pk, user_id=user.pk)
        )
    if not visible:
        annotations["addressed"] = Exists(
            AudienceLink.objects.filter(
                notice_id=notice.pk, department_id__in=audience_department_ids(user)
            )
        )
    board = (
        Board.objects.only(*BOARD_HEADER_FIELDS)
        .annotate(**annotations)
        .get(path=notice.path[: -Notice.steplen])
    )
    if not visible and not board.addressed:
        return None
    return {
        "board": board,
        "read": board.reader_read,
        "acknowledged": notice.must_acknowledge and board.reader_acknowledged,
        "has_attachments": board.has_attachments,
    }


def notice_page_context(*, notice: Notice, user, state: dict | None = None) -> dict:
    """What the notice page shows beside the body: attachments, the reader's acknowledgement,
    and for the board's editors how many of the audience have read and acknowledged (the
    report's kept counts, once the notice is saved). `state` is `notice_reader_state`'s
    answer, when the page has it already."""
    if state is None:
        board = Board.objects.only(*BOARD_HEADER_FIELDS).get(path=notice.path[: -Notice.steplen])
        has_attachments = True
        acknowledged = (
            notice.must_acknowledge
            and Acknowledgement.objects.filter(notice=notice, user_id=user.pk).exists()
        )
    else:
        board, acknowledged = state["board"], state["acknowledged"]
        # A preview's attachments are the edit form's, not yet saved: always read them.
        has_attachments = state["has_attachments"] or "attachments" in getattr(
            notice, "_cluster_related_objects", {}
        )
    context = {
        "board": board,
        "attachments": (
            list(notice.attachments.select_related("document")) if has_attachments else []
        ),
        "acknowledged": acknowledged,
        "may_manage": may_manage_board(user, board),
        "expired": notice.expires_at is not None and notice.expires_at <= timezone.now(),
    }
    if context["may_manage"] and notice.pk is not None:
        # The report's department counts, kept (`bulletins.acknowledgements.report_counts`).
        from bulletins.acknowledgements import report_counts

        rows = report_counts(notice=notice)
        context["summary"] = {
            "audience": sum(row[-3] for row in rows),
            "read": sum(row[-2] for row in rows),
            "acknowledged": sum(row[-1] for row in rows),
        }
    elif context["may_manage"]:
        audience = notice_audience_users(notice=notice)
        context["summary"] = {
            "audience": audience.count(),
            "read": NoticeRead.objects.filter(notice=notice, user__in=audience).count(),
            "acknowledged": Acknowledgement.objects.filter(
                notice=notice, user__in=audience
            ).count(),
        }
    return context


def notice_audience_users(*, notice: Notice):
    """The active employees the notice is addressed to."""
    users = User.objects.filter(is_active=True, kind=User.Kind.EMPLOYEE, employee__isnull=False)
    if notice.audience_all:
        return users
    department_ids = AudienceLink.objects.filter(notice_id=notice.pk).values("department_id")
    return users.filter(
        Q(employee__department_id__in=department_ids)
        | Q(employee__department__parent_id__in=department_ids)
    )


def _notice_summary(notice, site) -> dict:
    return {
        "id": notice.pk,
        "title": notice.title,
        "url": notice.relative_url(site),
        "published": notice.first_published_at,
        "pinned": notice.pinned,
        "must_acknowledge": notice.must_acknowledge,
    }


def _channel_paths():
    return list(Board.objects.filter(kind__in=Board.CHANNELS).values_list("path", flat=True))


def home_shared_lists(department_ids, generation) -> dict:
    """Pinned and latest department notices for one audience, and the latest news: the same for
    everyone in the same department, so cached until any notice changes (a new `generation`)
    or a minute passes."""
    key = f"bulletins:home:{generation}:{'-'.join(map(str, department_ids))}"
    lists = cache.get(key)
    if lists is not None:
        return lists
    site = site_for_face("intranet")
    channel_paths = _channel_paths()
    in_channels = Q(pk__in=[])
    for path in channel_paths:
        in_channels |= Q(path__startswith=path)
    audience = (
        Notice.objects.filter(live=True)
        .filter(_audience_filter(department_ids))
        .filter(_listed())
        .defer("body")
        .order_by("-first_published_at", "-pk")
    )
    board_notices = audience.exclude(in_channels)
    # Latest notices and news come out of one window of the audience's most recent notices,
    # partitioned here (news is a fifth of all notices); only when the window runs short does
    # either list ask the database on its own. Pinned notices are few and may be old: own query.
    recent = list(audience[:HOME_WINDOW])

    def in_channel(notice):
        return notice.path.startswith(tuple(channel_paths))

    latest = [n for n in recent if not n.pinned and not in_channel(n)][:HOME_LATEST]
    news = [n for n in recent if in_channel(n)][:HOME_NEWS]
    if len(recent) == HOME_WINDOW and len(latest) < HOME_LATEST:
        latest = list(board_notices.filter(pinned=False)[:HOME_LATEST])
    if len(recent) == HOME_WINDOW and len(news) < HOME_NEWS:
        news = list(audience.filter(in_channels)[:HOME_NEWS])
    lists = {
        "pinned": [
            _notice_summary(n, site) for n in board_notices.filter(pinned=True)[:HOME_PINNED]
        ],
        "latest": [_notice_summary(n, site) for n in latest],
        "news": [_notice_summary(n, site) for n in news],
        "discussions": [
            {
                "id": d.pk,
                "question": d.question,
                "closes_at": d.closes_at,
                "board": BilingualText(d.board.title, d.board.title_en),
            }
            for d in discussions_for_audience(department_ids)
            .filter(_open_now())
            .select_related("board")
            .order_by("closes_at", "pk")[:HOME_DISCUSSIONS]
        ],
    }
    cache.set(key, lists, HOME_CACHE_SECONDS)
    return lists


def home_unacknowledged(*, user, generation, acknowledged) -> list[dict]:
    """The must-acknowledge notices `user` has not acknowledged yet, newest first, cached per
    user until a notice changes (`generation`), they acknowledge one (`acknowledged`) or a
    minute passes."""
    key = f"bulletins:unacknowledged:{user.pk}:{generation}:{acknowledged}"
    unacknowledged = cache.get(key)
    if unacknowledged is None:
        notices = (
            notices_for_audience(user=user)
            .filter(must_acknowledge=True)
            .filter(_listed())
            .exclude(
                Exists(Acknowledgement.objects.filter(notice_id=OuterRef("pk"), user_id=user.pk))
            )
            .defer("body")
            .order_by("-first_published_at", "-pk")[:HOME_UNACKNOWLEDGED]
        )
        site = site_for_face("intranet")
        unacknowledged = [_notice_summary(notice, site) for notice in notices]
        cache.set(key, unacknowledged, HOME_CACHE_SECONDS)
    return unacknowledged


def feed_notices(*, user, boards) -> list[Notice]:
    """The latest listed notices of `boards` that `user` may read, for their feed."""
    in_boards = Q(pk__in=[])
    for board in boards:
        in_boards |= Q(path__startswith=board.path, depth=board.depth + 1)
    return list(
        notices_visible_to(user=user)
        .filter(in_boards)
        .filter(_listed())
        .order_by("-first_published_at", "-pk")[:FEED_SIZE]
    )


# --- discussion topics ------------------------------------------------------------------------
# A department board's discussions are for that department's audience (its members and the
# members of its sections); the channels' discussions for all staff; a board's editors see the
# discussions of their boards.


def _open_now(now=None) -> Q:
    now = now or timezone.now()
    return Q(closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now)


def discussions_for_audience(department_ids) -> QuerySet:
    return Discussion.objects.filter(
        Q(board__kind__in=Board.CHANNELS) | Q(board__department_id__in=department_ids)
    )


def discussions_visible_to(*, user) -> QuerySet:
    if not user.is_authenticated or not user.is_employee:
        return Discussion.objects.none()
    if user.is_superuser:
        return Discussion.objects.all()
    allowed = Q(board__kind__in=Board.CHANNELS) | Q(
        board__department_id__in=audience_department_ids(user)
    )
    managed = list(managed_boards(user))
    if managed:
        allowed |= Q(board_id__in=managed)
    return Discussion.objects.filter(allowed)


def discussion_urls(topic_ids: list[int]) -> dict[int, str]:
    """{forum topic id: the discussion's page} of the discussions those topics hold."""
    rows = Discussion.objects.filter(forum_topic_id__in=topic_ids).values_list(
        "forum_topic_id", "pk"
    )
    return {topic_id: reverse("bulletins:discussion", args=[pk]) for topic_id, pk in rows}


def discussions_managed_by(*, user) -> QuerySet:
    """The discussions of the boards `user` publishes on (marking, closing)."""
    return Discussion.objects.filter(board_id__in=list(managed_boards(user)))


def board_discussions(*, board: Board, user, notices_generation=None) -> list[dict]:
    """The board's discussions `user` may see, open ones first, then the latest (at most 10):
    dicts of pk, question, closes_at and closed_at. The same for everyone who may see them, so
    cached per board until a notice or a discussion changes (`NOTICES_GENERATION`) or a minute
    passes, as the home page's lists are. `notices_generation`: its value, when the caller has
    read it already."""
    if not user.is_authenticated or not user.is_employee:
        return []
    if board.department_id and not may_manage_board(user, board):
        if board.department_id not in audience_department_ids(user) and not user.is_superuser:
            return []
    if notices_generation is None:
        notices_generation = NOTICES_GENERATION.current()
    key = f"bulletins:board-discussions:{notices_generation}:{board.pk}"
    discussions = cache.get(key)
    if discussions is None:
        discussions = list(
            Discussion.objects.filter(board=board)
            .order_by(F("closed_at").asc(nulls_first=True), "-closes_at", "-pk")
            .values("pk", "question", "closes_at", "closed_at")[:10]
        )
        cache.set(key, discussions, HOME_CACHE_SECONDS)
    return discussions


def discussion_page_context(*, discussion: Discussion, user, page_number=None) -> dict:
    """The suggestions (forum replies, pseudonyms only), one page at a time, each with the
    board's mark; the head's controls if `user` is one of the board's editors. A suggestion a
    moderator hid is left out; one its author deleted keeps its place."""
    posts = topic_replies(topic_id=discussion.forum_topic_id)
    # The replies' count and the marks' counts in one statement (`suggestion_counts`).
    replies, counts = suggestion_counts(discussion=discussion)
    paginator = Paginator(posts, SUGGESTIONS_PAGE_SIZE)
    paginator.count = replies  # a cached property: not counted again
    page = paginator.get_page(paginator.num_pages if page_number == "last" else page_number)
    suggestions = list(page.object_list)
    marks = {
        mark.post_id: mark
        for mark in SuggestionMark.objects.filter(
            discussion=discussion, post_id__in=[post.pk for post in suggestions]
        )
    }
    for post in suggestions:
        post.mark = marks.get(post.pk)
    return {
        "discussion": discussion,
        "board": discussion.board,
        "state": discussion.state(),
        "suggestions": suggestions,
        "page": page,
        "mark_counts": [
            (label, counts.get(value, 0)) for value, label in SuggestionMark.Status.choices
        ],
        "statuses": SuggestionMark.Status.choices,
        "may_manage": may_manage_board(user, discussion.board),
        "pseudonym": pseudonym_of(user),
    }
