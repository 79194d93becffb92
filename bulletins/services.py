"""Writes of the bulletins: boards and their editors, reads, acknowledgements, reminders,
delegates, feed tokens and discussion topics (whose suggestions are written through
`forum.services.posting`, the forum's interface for other apps). Refusals are
`portal.refusals.Refusal`."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from bulletins.models import (
    Acknowledgement,
    Board,
    BoardDelegate,
    BulletinIndexPage,
    Discussion,
    FeedToken,
    Notice,
    NoticeRead,
    NoticeReminder,
    SuggestionMark,
    new_feed_token,
)
from bulletins.permissions import CHANNEL_PUBLISHER_DEPARTMENTS, EDITOR_PAGE_PERMISSIONS
from bulletins.selectors import (
    BOARDS_GENERATION,
    NOTICES_GENERATION,
    STAFF_GENERATION,
    acknowledgements_generation,
    notice_audience_users,
    responses_generation,
)
from forum.selectors import pseudonym_of, topic_replies
from forum.services.posting import board_ensure, post_reply, topic_create, topic_lock
from portal.models import Department, IntranetHomePage
from portal.notices.services import NoticeRefused, notice_reminder_send
from portal.refusals import Refusal
from portal.services import audit_record
from portal.sites import site_for_face

# A reader is reminded of a notice at most once in this period, however often the button is hit.
REMINDER_INTERVAL = timedelta(minutes=30)
# The forum board that holds a bulletin board's discussion topics is run by this app.
FORUM_OWNER = "bulletins"

# The collection under Wagtail's root that holds one collection per department board.
BULLETINS_COLLECTION = "Bulletins"
# What a board's editors may do with documents and pictures in their board's collection.
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
)

# kind: (title, English title, slug)
CHANNEL_TITLES = {
    Board.Kind.NEWS: ("新闻（市场信息）", "News (market information)", "news"),
    Board.Kind.POLICIES: ("政策法规", "Policies and regulations", "policies"),
    Board.Kind.INDUSTRY: ("行业规章", "Industry rules", "industry-rules"),
}


def notices_changed() -> None:
    """Start a new generation of the home page's cached notice lists (called when any notice
    or discussion changes), now and again when the transaction commits."""
    NOTICES_GENERATION.bump()


def boards_changed() -> None:
    """Start a new generation of the index's and the feeds page's kept lists of boards (called
    when a board, the index page, a department or a site changes, or a page moves), now and
    again when the transaction commits."""
    BOARDS_GENERATION.bump()


def staff_changed() -> None:
    """Start a new generation of the reports' kept counts and pages of people (called when an
    employee, their user or a department is saved or deleted), now and again when the
    transaction commits."""
    STAFF_GENERATION.bump()


def responses_changed(*, notice_id) -> None:
    """Start a new generation of the notice's kept report (called when a read or an
    acknowledgement of it is recorded), now and again when the transaction commits."""
    responses_generation(notice_id).bump()


def bulletins_index_ensure() -> BulletinIndexPage | None:
    """The bulletins section under the intranet home page (None before the site exists)."""
    index = BulletinIndexPage.objects.first()
    if index is not None:
        return index
    home = IntranetHomePage.objects.first()
    if home is None:
        return None
    return home.add_child(instance=BulletinIndexPage(title="公告栏", slug="bulletins"))


def _grant_board(group: Group, board: Board) -> None:
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=board, permission=permission)


def _editors_group(department) -> Group:
    group, created = Group.objects.get_or_create(name=f"bulletins:{department.code}")
    if created:
        admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        group.permissions.add(admin)
    return group


def bulletins_collection() -> Collection | None:
    """The parent collection of the boards' collections (None before Wagtail's root exists)."""
    parent = Collection.objects.filter(name=BULLETINS_COLLECTION, depth=2).first()
    if parent is not None:
        return parent
    root = Collection.get_first_root_node()
    return None if root is None else root.add_child(name=BULLETINS_COLLECTION)


def _board_collection_ensure(*, board: Board, department, group: Group) -> None:
    """The board has its collection, named after the department, and its editors group holds
    the editors' permissions on it and on no other collection: a head or delegate sees and
    chooses only their own board's documents and pictures."""
    collection = board.collection
    if collection is None:
        parent = bulletins_collection()
        if parent is None:
            return
        collection = parent.add_child(name=department.name)
        board.collection = collection
        Board.objects.filter(pk=board.pk).update(collection=collection)
    elif collection.name != department.name:
        collection.name = department.name
        collection.save(update_fields=["name"])
    wanted = set(
        Permission.objects.filter(
            _collection_permissions_filter(EDITOR_COLLECTION_PERMISSIONS)
        ).values_list("pk", flat=True)
    )
    held = GroupCollectionPermission.objects.filter(group=group)
    held.exclude(collection=collection, permission__in=wanted).delete()
    have = set(held.filter(collection=collection).values_list("permission_id", flat=True))
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission_id=pk)
        for pk in wanted - have
    )


def _collection_permissions_filter(permissions) -> Q:
    wanted = Q(pk__in=[])
    for app_label, codenames in permissions:
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    return wanted


def channels_ensure() -> list[Board]:
    """The factory channels exist, published by the Director's Office's and the computer
    center's editors. Idempotent."""
    index = bulletins_index_ensure()
    if index is None:
        return []
    channels = []
    with transaction.atomic():
        for kind, (title, title_en, slug) in CHANNEL_TITLES.items():
            board = Board.objects.filter(kind=kind).first()
            if board is None:
                board = index.add_child(
                    instance=Board(title=title, title_en=title_en, slug=slug, kind=kind)
                )
            channels.append(board)
        for department in Department.objects.filter(code__in=CHANNEL_PUBLISHER_DEPARTMENTS):
            group = _editors_group(department)
            for board in channels:
                _grant_board(group, board)
    return channels


def board_ensure_for_department(*, department) -> Board | None:
    """The department's board exists, with its editors group holding Wagtail's add, change and
    publish permissions on it, and the group's members in step with the head and delegates.
    Idempotent; called when a department is saved and after migrations."""
    index = bulletins_index_ensure()
    if index is None:
        return None
    with transaction.atomic():
        group = _editors_group(department)
        board = Board.objects.filter(department=department).first()
        if board is None:
            board = index.add_child(
                instance=Board(
                    title=department.name,
                    title_en=department.name_en,
                    slug=f"board-{department.code}",
                    kind=Board.Kind.DEPARTMENT,
                    department=department,
                    editors=group,
                )
            )
        elif (
            board.editors_id != group.pk
            or board.title != department.name
            or board.title_en != department.name_en
        ):
            board.editors = group
            board.title = board.draft_title = department.name
            board.title_en = department.name_en
            board.save(update_fields=["editors", "title", "draft_title", "title_en"])
        _grant_board(group, board)
        _board_collection_ensure(board=board, department=department, group=group)
        if department.code in CHANNEL_PUBLISHER_DEPARTMENTS:
            for channel in Board.objects.filter(kind__in=Board.CHANNELS):
                _grant_board(group, channel)
        board_editors_sync(board=board, department=department)
    return board


def board_editors_sync(*, board: Board, department=None) -> None:
    """The board's editors group holds exactly the department head and the delegates."""
    if board.editors_id is None:
        return
    department = department or board.department
    members = set(BoardDelegate.objects.filter(board=board).values_list("user_id", flat=True))
    head = department.head if department is not None else None
    if head is not None:
        members.add(head.user_id)
    group = board.editors
    if set(group.user_set.values_list("pk", flat=True)) != members:
        group.user_set.set(members)


def bulletins_sync() -> None:
    """Every department has its board and the channels exist (after migrations)."""
    if bulletins_index_ensure() is None:
        return
    channels_ensure()
    for department in Department.objects.select_related("head"):
        board_ensure_for_department(department=department)


def board_delegate_add(*, board: Board, user, actor, request=None) -> BoardDelegate:
    """The head names `user` (an active employee) a delegate who may publish on the board."""
    with transaction.atomic():
        delegate, created = BoardDelegate.objects.get_or_create(
            board=board, user=user, defaults={"added_by": actor}
        )
        if created:
            board_editors_sync(board=board)
            audit_record(
                actor=actor,
                action="bulletins.delegate_added",
                target=board,
                data={"user": user.username, "name": user.display_name},
                request=request,
            )
    return delegate


def board_delegate_remove(*, board: Board, user, actor, request=None) -> None:
    with transaction.atomic():
        deleted, _ = BoardDelegate.objects.filter(board=board, user=user).delete()
        if deleted:
            board_editors_sync(board=board)
            audit_record(
                actor=actor,
                action="bulletins.delegate_removed",
                target=board,
                data={"user": user.username, "name": user.display_name},
                request=request,
            )


def notice_read_record(*, notice: Notice, user) -> None:
    """The first time a reader opens a notice is kept (later visits change nothing); the
    notice's kept report is read anew."""
    NoticeRead.objects.bulk_create([NoticeRead(notice=notice, user=user)], ignore_conflicts=True)
    responses_changed(notice_id=notice.pk)


def notice_acknowledge(*, notice: Notice, user) -> Acknowledgement:
    """The reader confirms the notice; doing it again keeps the first confirmation."""
    with transaction.atomic():
        notice_read_record(notice=notice, user=user)
        existing = Acknowledgement.objects.filter(notice=notice, user=user).first()
        if existing is not None:
            return existing
        # The user's cached must-acknowledge list is built anew (bump(): at once, for their next
        # page, and again on commit, for a list another request cached in between).
        acknowledgements_generation(user.pk).bump()
        responses_changed(notice_id=notice.pk)
        try:
            with transaction.atomic():
                return Acknowledgement.objects.create(notice=notice, user=user)
        except IntegrityError:
            # A second click that raced the first: the constraint kept one.
            return Acknowledgement.objects.get(notice=notice, user=user)


def notice_remind(*, notice: Notice, actor, request=None) -> int:
    """Remind every audience member who has not acknowledged the notice, through the portal's
    mass notices (`portal.notices.services.notice_reminder_send`): one notice to those people,
    archived with per-recipient delivery status and sent by the task queue. Nobody is reminded
    twice within REMINDER_INTERVAL. Returns how many people are reminded."""
    with transaction.atomic():
        # Serialises two clicks on the same notice (PostgreSQL); SQLite writes one at a time.
        Notice.objects.select_for_update().filter(pk=notice.pk).first()
        since = timezone.now() - REMINDER_INTERVAL
        recent = NoticeReminder.objects.filter(notice=notice, created_at__gte=since).values(
            "recipient_id"
        )
        audience = notice_audience_users(notice=notice)
        recipients = list(
            audience.exclude(pk__in=Acknowledgement.objects.filter(notice=notice).values("user_id"))
            .exclude(pk__in=recent)
            .exclude(email="")
            .only("pk")
        )
        if not recipients:
            return 0
        subject, body = reminder_message(notice=notice)
        try:
            notice_reminder_send(
                sender=actor, subject=subject, body=body, recipients=recipients, audience=audience
            )
        except NoticeRefused:
            return 0
        NoticeReminder.objects.bulk_create(
            [NoticeReminder(notice=notice, recipient=user, sent_by=actor) for user in recipients]
        )
        audit_record(
            actor=actor,
            action="bulletins.reminder_sent",
            target=notice,
            data={"recipients": len(recipients)},
            request=request,
        )
    return len(recipients)


def reminder_message(*, notice: Notice) -> tuple[str, str]:
    """Subject and body of a reminder, in the portal's language (Chinese)."""
    url = settings.INTRANET_BASE_URL.rstrip("/") + notice.relative_url(site_for_face("intranet"))
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notice": notice, "url": url}
        subject = render_to_string("bulletins/email/reminder_subject.txt", context).strip()
        body = render_to_string("bulletins/email/reminder_body.txt", context)
    return subject, body


def feed_token_for(*, user) -> FeedToken:
    """The user's feed token, made the first time it is asked for."""
    token, _ = FeedToken.objects.get_or_create(user=user)
    return token


def feed_token_regenerate(*, user, request=None) -> FeedToken:
    """A new secret for the user's feeds: every old feed link stops working."""
    with transaction.atomic():
        token, created = FeedToken.objects.get_or_create(user=user)
        if not created:
            token.token = new_feed_token()
            token.save(update_fields=["token", "created_at"])
        audit_record(actor=user, action="bulletins.feed_token_regenerated", request=request)
    return token


# --- discussion topics ------------------------------------------------------------------------
# A discussion's suggestions are the replies of a forum topic on a forum board this app runs,
# written through the forum's posting service (`forum.services.posting`), never into the
# forum's tables directly. The topic is created locked and stays locked: the forum's own pages
# offer no reply form and no editing there, and the forum refuses every reply to it that does
# not come from this app. This app's checks (dates, closing) decide which replies it passes on.


def discussion_forum_board(board: Board):
    """The forum board that holds `board`'s discussion topics (made the first time)."""
    return board_ensure(
        slug=f"bulletins-{board.pk}",
        name=board.title,
        name_en=board.title_en,
        owner_app=FORUM_OWNER,
        department=board.department,
        description=_("Discussion topics of the board “%(board)s”.") % {"board": board.title},
    )


def discussion_open(
    *, board: Board, actor, question: str, background: str, opens_at, closes_at, request=None
) -> Discussion:
    """A board editor opens a discussion topic. The forum topic is signed with the department's
    (or channel's) name, never with anyone's pseudonym, and is locked from the start."""
    question = (question or "").strip()
    background = (background or "").strip()
    if not question:
        raise Refusal(_("Ask a question."))
    if closes_at <= opens_at:
        raise Refusal(_("The topic must close after it opens."))
    if closes_at <= timezone.now():
        raise Refusal(_("The closing date has already passed."))
    signed_as = board.department.name if board.department_id else board.title
    with transaction.atomic():
        topic = topic_create(
            board=discussion_forum_board(board),
            title=question,
            body=background or question,
            signed_as=signed_as,
        )
        topic_lock(topic_id=topic.pk, owner_app=FORUM_OWNER)
        discussion = Discussion.objects.create(
            board=board,
            question=question,
            background=background,
            opens_at=opens_at,
            closes_at=closes_at,
            forum_topic=topic,
            created_by=actor,
        )
        audit_record(
            actor=actor, action="bulletins.discussion_opened", target=discussion, request=request
        )
        notices_changed()
    return discussion


def discussion_reply(*, discussion: Discussion, user, body: str, now=None):
    """Post `user`'s suggestion under their pseudonym through the forum's posting service, if
    the discussion is open now (a row lock on the discussion orders the check and the reply
    against closing). Raises a Refusal (nothing saved) otherwise: 403 without a pseudonym,
    409 outside the dates or once closed, the forum's own refusals (empty, too long, 429 when
    flooding) as they are."""
    author = pseudonym_of(user)
    if author is None:
        raise Refusal(_("Choose a forum pseudonym before you reply."), status=403)
    with transaction.atomic():
        current = Discussion.objects.select_for_update().get(pk=discussion.pk)
        state = current.state(now)
        if state == "closed":
            raise Refusal(_("This discussion is closed; no more replies."), status=409)
        if state == "upcoming":
            raise Refusal(_("This discussion is not open for replies yet."), status=409)
        return post_reply(
            author=author, topic=current.forum_topic, body=body, on_behalf_of=FORUM_OWNER
        )


def discussion_mark(
    *, discussion: Discussion, post_id: int, status: str, answer: str, actor, request=None
) -> SuggestionMark:
    """The board's answer to one suggestion of the discussion (marking again replaces it). A
    suggestion a moderator hid may still be marked; a post of another topic, or the question
    itself, is refused with 404."""
    if status not in SuggestionMark.Status.values:
        raise Refusal(_("Choose adopted, under consideration or not adopted."))
    answer = (answer or "").strip()
    if len(answer) > 500:
        raise Refusal(_("The answer may be at most 500 characters long."))
    replies = topic_replies(topic_id=discussion.forum_topic_id, with_hidden=True)
    if not replies.filter(pk=post_id).exists():
        raise Refusal(_("There is no such suggestion in this discussion."), status=404)
    with transaction.atomic():
        mark, _created = SuggestionMark.objects.update_or_create(
            discussion=discussion, post_id=post_id, defaults={"status": status, "answer": answer}
        )
        audit_record(
            actor=actor,
            action="bulletins.suggestion_marked",
            target=discussion,
            data={"post": post_id, "status": status},
            request=request,
        )
    return mark


def discussion_close(*, discussion: Discussion, actor, request=None) -> Discussion:
    """No more replies: the discussion refuses them from now on (its forum topic stays
    locked, so the forum's pages offer none either)."""
    with transaction.atomic():
        current = Discussion.objects.select_for_update().get(pk=discussion.pk)
        if current.closed_at is None:
            current.closed_at = timezone.now()
            current.closed_by = actor
            current.save(update_fields=["closed_at", "closed_by"])
            topic_lock(topic_id=current.forum_topic_id, owner_app=FORUM_OWNER)
            audit_record(
                actor=actor, action="bulletins.discussion_closed", target=current, request=request
            )
            notices_changed()
    return current
