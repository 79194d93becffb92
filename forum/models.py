"""The pseudonymous forum: boards, topics, posts, and the people behind them kept apart.

How pseudonymity is stored
--------------------------
* `Pseudonym` is the only name the forum knows. It has no link to a user. Everything an author
  leaves behind — `Post.author`, `Topic.author`, `PostRevision`, `Report.reporter`,
  `Subscription`, `Notification.recipient`/`actor` — points at a `Pseudonym`, so quoting, the
  "last poster" of a topic or board, notifications and edits can only ever show a pseudonym.
* `Identity` is the one row that ties a pseudonym to a person. It is keyed on its own (a random
  primary key, not the user's or the pseudonym's id), no admin viewset, page, feed, search index
  or JSON response reads it, and only two code paths do: `forum.selectors.pseudonym_of()` (the
  signed-in user's own pseudonym) and `forum.services.identity_reveal()` (the identity auditor's
  audited reveal). A dump of the post tables alone therefore names nobody.
* Reading is personal but not authorship: `TopicRead` is keyed by the reading user and stores
  only the highest post number read (no timestamp to line up with posting times).
* Posting is not written to the audit log (that would tie the user to the post); moderation and
  reveals are. `IdentityReveal` records each reveal (auditor, post, person) for the auditors.
* A rename starts with the holder's `RenameRequest` (made from their own settings), so the
  administrator who grants it works from the pseudonym alone.

Speed
-----
Topic and board carry denormalised counters and last-post pointers, maintained by
`forum.services` in the same transaction as the post, with indexes that match the list order
(board, pinned, last activity). A post has a stable number in its topic, so a topic page is an
indexed range of numbers (`topic, number`), never a growing OFFSET.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.names import in_reader_language


class Pseudonym(models.Model):
    """The stable name an employee posts under. Chosen once from generated suggestions; renamed
    only by an administrator, at most once a year."""

    name = models.CharField(_("pseudonym"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("chosen at"), default=timezone.now)
    renamed_at = models.DateTimeField(_("last renamed at"), null=True, blank=True)
    email_notifications = models.BooleanField(
        _("notify me by email"),
        default=False,
        help_text=_("Also send forum notifications to my work email address."),
    )

    class Meta:
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonyms")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="forum_pseudonym_unique_lower_name")
        ]

    def __str__(self):
        return self.name


class Identity(models.Model):
    """The link from a pseudonym to its person. Read only by `pseudonym_of()` and the audited
    reveal; never listed anywhere."""

    id = models.UUIDField(
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        verbose_name=pgettext_lazy("forum", "identity key"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "employee"),
    )
    pseudonym = models.OneToOneField(
        Pseudonym, on_delete=models.PROTECT, related_name="+", verbose_name=_("pseudonym")
    )

    class Meta:
        verbose_name = _("forum identity")
        verbose_name_plural = _("forum identities")
        default_permissions = ()

    def __str__(self):
        # Deliberately says nothing about either side.
        return str(_("forum identity"))


class Board(models.Model):
    """A category of topics. A board restricted to a department is seen only by its members
    (and moderators). A board owned by another app (`owner_app`, e.g. "bulletins" for a
    department's discussion topics) is not listed in the forum index; that app links to it."""

    name = models.CharField(pgettext_lazy("forum", "name"), max_length=100)
    name_en = models.CharField(
        pgettext_lazy("forum", "name (English)"),
        max_length=150,
        blank=True,
        help_text=_("Shown to readers of the English pages; the name above otherwise."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(pgettext_lazy("forum", "description"), blank=True)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("restricted to department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_boards",
        help_text=_("Leave empty for a board every employee may read and post in."),
    )
    owner_app = models.CharField(
        _("owned by"),
        max_length=32,
        blank=True,
        help_text=_("Empty for a forum board; the app's label for boards another module runs."),
    )
    sort_order = models.PositiveIntegerField(pgettext_lazy("forum", "sort order"), default=0)
    topic_count = models.PositiveIntegerField(_("topics"), default=0, editable=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0, editable=False)
    last_post = models.ForeignKey(
        "forum.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=pgettext_lazy("forum", "last post"),
    )
    last_activity_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=pgettext_lazy("forum", "last activity")
    )

    class Meta:
        verbose_name = pgettext_lazy("forum", "board")
        verbose_name_plural = pgettext_lazy("forum", "boards")
        ordering = ["sort_order", "name"]
        indexes = [models.Index(fields=["owner_app", "sort_order", "name"])]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The board's name in the reader's language."""
        return in_reader_language(self.name, self.name_en)


class Topic(models.Model):
    board = models.ForeignKey(
        Board,
        verbose_name=pgettext_lazy("forum", "board"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    title = models.CharField(pgettext_lazy("forum", "title"), max_length=200)
    author = models.ForeignKey(
        Pseudonym,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # An official topic of another app (a department's discussion topic) has no pseudonymous
    # author; it is signed as, say, the department.
    signed_as = models.CharField(_("signed as"), max_length=100, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("forum", "started at"), default=timezone.now)
    is_pinned = models.BooleanField(pgettext_lazy("forum", "pinned"), default=False)
    is_locked = models.BooleanField(pgettext_lazy("forum", "locked"), default=False)
    # Counters and pointers kept by forum.services in the posting transaction.
    post_count = models.PositiveIntegerField(
        default=0, verbose_name=pgettext_lazy("forum", "posts")
    )
    reply_count = models.PositiveIntegerField(
        default=0, verbose_name=pgettext_lazy("forum", "replies")
    )
    last_post_number = models.PositiveIntegerField(
        default=0, verbose_name=pgettext_lazy("forum", "last post number")
    )
    last_post = models.ForeignKey(
        "forum.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "last post"),
    )
    last_activity_at = models.DateTimeField(
        default=timezone.now, verbose_name=pgettext_lazy("forum", "last activity")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(
                fields=["board", "-is_pinned", "-last_activity_at", "-id"],
                name="forum_topic_board_list",
            ),
            models.Index(fields=["-last_activity_at", "-id"], name="forum_topic_activity"),
        ]

    def __str__(self):
        return self.title

    @property
    def author_label(self):
        return self.author.name if self.author_id else self.signed_as


class Post(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="posts"
    )
    number = models.PositiveIntegerField(pgettext_lazy("forum", "number"))
    author = models.ForeignKey(
        Pseudonym,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_as = models.CharField(_("signed as"), max_length=100, blank=True)
    body = models.TextField(pgettext_lazy("forum", "text"))
    # Rendered and sanitised once, on save, by forum.rendering.
    body_html = models.TextField(
        editable=False, verbose_name=pgettext_lazy("forum", "rendered text")
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    is_deleted = models.BooleanField(_("deleted by its author"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="forum_post_topic_number")
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="forum_post_author_time")]

    def __str__(self):
        return f"#{self.number} · {self.topic_id}"

    @property
    def author_label(self):
        return self.author.name if self.author_id else self.signed_as

    @property
    def is_visible(self):
        return not (self.is_hidden or self.is_deleted)


class PostRevision(models.Model):
    """A prior version of an edited post (moderators see these)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post")
    )
    body = models.TextField(verbose_name=pgettext_lazy("forum", "text"))
    body_html = models.TextField(verbose_name=pgettext_lazy("forum", "rendered text"))
    written_at = models.DateTimeField(verbose_name=pgettext_lazy("forum", "written at"))

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"revision of post {self.post_id}"


class TopicRead(models.Model):
    """How far a user has read a topic: one row per user per topic. Topics without activity for
    `FORUM_UNREAD_DAYS` count as read whatever this says."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "reader"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    last_read_number = models.PositiveIntegerField(
        default=0, verbose_name=pgettext_lazy("forum", "last read post number")
    )

    class Meta:
        verbose_name = _("topic read mark")
        verbose_name_plural = _("topic read marks")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forum_topicread_user_topic")
        ]

    def __str__(self):
        return f"read of topic {self.topic_id}"


class Subscription(models.Model):
    """A pseudonym follows a topic (new replies) or a board (new topics)."""

    pseudonym = models.ForeignKey(
        Pseudonym, on_delete=models.CASCADE, related_name="+", verbose_name=_("pseudonym")
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("topic"),
    )
    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "board"),
    )

    class Meta:
        verbose_name = _("forum subscription")
        verbose_name_plural = _("forum subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["pseudonym", "topic"],
                condition=models.Q(topic__isnull=False),
                name="forum_subscription_topic",
            ),
            models.UniqueConstraint(
                fields=["pseudonym", "board"],
                condition=models.Q(board__isnull=False),
                name="forum_subscription_board",
            ),
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True) ^ models.Q(board__isnull=True),
                name="forum_subscription_one_target",
            ),
        ]

    def __str__(self):
        return f"subscription {self.pk}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply")
        TOPIC = "topic", pgettext_lazy("forum", "New topic")
        MENTION = "mention", _("Mention")

    recipient = models.ForeignKey(
        Pseudonym,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "recipient"),
    )
    kind = models.CharField(
        max_length=16, choices=Kind.choices, verbose_name=pgettext_lazy("forum", "kind")
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="+", verbose_name=_("post")
    )
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=pgettext_lazy("forum", "created at")
    )
    read_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("forum", "read at")
    )
    emailed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("forum", "emailed at")
    )

    class Meta:
        verbose_name = _("forum notification")
        verbose_name_plural = _("forum notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post", "kind"], name="forum_notification_once"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="forum_notification_list"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="forum_notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.kind} notification {self.pk}"


class Report(models.Model):
    """A reader's report of a post, for the moderation queue."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post")
    )
    reporter = models.ForeignKey(
        Pseudonym,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "reported by"),
    )
    reason = models.TextField(pgettext_lazy("forum", "reason"))
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=pgettext_lazy("forum", "reported at")
    )
    resolved_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("forum", "resolved at")
    )
    resolution = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("forum", "resolution")
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="forum_report_open",
            )
        ]

    def __str__(self):
        return f"report of post {self.post_id}"


class IdentityReveal(models.Model):
    """An identity auditor's reveal of the person behind a post: who, whom, when and why."""

    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "identity auditor"),
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("post")
    )
    pseudonym = models.ForeignKey(
        Pseudonym, on_delete=models.PROTECT, related_name="+", verbose_name=_("pseudonym")
    )
    revealed_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("forum", "revealed employee"),
    )
    reason = models.TextField(pgettext_lazy("forum", "reason"))
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=pgettext_lazy("forum", "revealed at")
    )

    class Meta:
        verbose_name = _("identity reveal")
        verbose_name_plural = _("identity reveals")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"reveal #{self.pk} of post {self.post_id}"


class RenameRequest(models.Model):
    """A holder's request to have their pseudonym renamed. The administrator who grants it sees
    the pseudonym only: the request, not the administrator, vouches that it is the holder's."""

    pseudonym = models.ForeignKey(
        Pseudonym, on_delete=models.CASCADE, related_name="+", verbose_name=_("pseudonym")
    )
    requested_at = models.DateTimeField(
        default=timezone.now, verbose_name=pgettext_lazy("forum", "requested at")
    )
    resolved_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("forum", "resolved at")
    )
    granted = models.BooleanField(null=True, verbose_name=pgettext_lazy("forum", "granted"))

    class Meta:
        verbose_name = _("rename request")
        verbose_name_plural = _("rename requests")
        constraints = [
            models.UniqueConstraint(
                fields=["pseudonym"],
                condition=models.Q(resolved_at__isnull=True),
                name="forum_renamerequest_one_open",
            )
        ]

    def __str__(self):
        return f"rename request {self.pk}"
