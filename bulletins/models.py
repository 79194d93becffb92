"""Bulletin boards (one per department, plus the factory's news channels) and their notices, as
Wagtail pages; reads, acknowledgements, reminders, board delegates and personal feed tokens."""

import secrets

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from bulletins.forms import NoticeAdminForm
from portal.names import in_reader_language
from portal.pages import PortalPageMixin, route_page_at, route_to_child


def board_or_notice_pages(path):
    """The boards (`path` "bulletins/<board>/") or the notices ("bulletins/<board>/<notice>/")
    among which the page at `path` is, or None for any other path (a notice's parent is always a
    board, a board's always the bulletins index page)."""
    model = {2: Board, 3: Notice}.get(len([part for part in path.split("/") if part]))
    return model.objects.all() if model is not None else None


def route_board_or_notice(request, path):
    """Wagtail's route to the board or the notice at `path` of the request's site, in one
    query (`portal.pages.route_page_at`), or None."""
    pages = board_or_notice_pages(path)
    return route_page_at(request, path, pages) if pages is not None else None


class BulletinIndexPage(PortalPageMixin, Page):
    """The bulletins section of the intranet: lists the boards (created automatically)."""

    parent_page_types = ["portal.IntranetHomePage"]
    subpage_types = ["bulletins.Board"]
    max_count = 1

    class Meta:
        verbose_name = _("bulletins index page")
        verbose_name_plural = _("bulletins index pages")

    def route(self, request, path_components):
        """A board, or a notice on one, in one query per level (Wagtail's default routing asks
        twice per level: the page, then its specific fields)."""
        if not path_components:
            return super().route(request, path_components)
        return route_to_child(self, Board.objects.all(), request, path_components)

    def get_context(self, request, *args, **kwargs):
        from bulletins.board_links import index_lists_html

        context = super().get_context(request, *args, **kwargs)
        context.update(index_lists_html(user=request.user, index=self, request=request))
        return context


class Board(PortalPageMixin, Page):
    """A department's bulletin board or one of the factory-wide channels."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department board")
        NEWS = "news", _("News (market information)")
        POLICIES = "policies", _("Policies and regulations")
        INDUSTRY = "industry", _("Industry rules")

    kind = models.CharField(pgettext_lazy("bulletins", "kind"), max_length=16, choices=Kind.choices)
    department = models.OneToOneField(
        "portal.Department",
        verbose_name=pgettext_lazy("bulletins", "department"),
        null=True,
        blank=True,
        # A department that is removed leaves its board behind as an archive.
        on_delete=models.SET_NULL,
        related_name="board",
    )
    editors = models.ForeignKey(
        "auth.Group",
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Kept in step automatically: the department head and their delegates."),
    )
    # The board's own collection of documents and pictures: its editors group may add, change
    # and choose files there and nowhere else (a department board's; channels have none).
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=pgettext_lazy("stored files", "collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The title (Chinese) is Wagtail's; readers of the English pages see this one if given.
    title_en = models.CharField(
        _("title (English)"),
        max_length=255,
        blank=True,
        help_text=_(
            "Shown to readers of the English pages; a department board takes it from "
            "the department's English name."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("title_en")]
    parent_page_types = ["bulletins.BulletinIndexPage"]
    subpage_types = ["bulletins.Notice"]

    class Meta:
        verbose_name = pgettext_lazy("bulletins", "board")
        verbose_name_plural = pgettext_lazy("bulletins", "boards")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=~models.Q(kind="department"),
                name="bulletins_board_one_per_channel",
            )
        ]

    CHANNELS = (Kind.NEWS, Kind.POLICIES, Kind.INDUSTRY)

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        return route_to_child(self, Notice.objects.all(), request, path_components)

    @property
    def display_title(self):
        """The board's name in the reader's language."""
        return in_reader_language(self.title, self.title_en)

    @property
    def is_channel(self):
        return self.kind in self.CHANNELS

    def get_context(self, request, *args, **kwargs):
        from bulletins.forms import BoardFilterForm, board_filter_fields
        from bulletins.notice_rows import notice_rows_html
        from bulletins.selectors import (
            BOARDS_GENERATION,
            NOTICES_GENERATION,
            board_discussions,
            board_listing,
        )
        from portal.generations import Generation

        context = super().get_context(request, *args, **kwargs)
        # No form is made (nor cleaned) until a filter is given: most requests give none (a
        # page number at most), and the unfiltered list is the one with the selector's defaults.
        filtering = any(name in request.GET for name in BoardFilterForm.base_fields)
        form = BoardFilterForm(request.GET) if filtering else None
        filters = form.cleaned_data if filtering and form.is_valid() else {}
        context["filter_fields"] = board_filter_fields(form)
        # Both lists are kept under the notices' generation, the notices' order under the
        # boards' too: read once, in one round trip to the cache.
        generations = Generation.current_many(NOTICES_GENERATION, BOARDS_GENERATION)
        context["discussions"] = board_discussions(
            board=self, user=request.user, notices_generation=generations[0]
        )
        context.update(
            board_listing(
                board=self,
                board_url=self.get_url(request),
                user=request.user,
                page_number=request.GET.get("page"),
                generations=generations,
                **filters,
            )
        )
        context["notice_rows"] = notice_rows_html(
            context["notices"].object_list, archive=context["archive"]
        )
        return context


class Notice(PortalPageMixin, Page):
    """A notice on a board: who it is for, until when it is listed, whether it is pinned and
    whether readers must acknowledge it."""

    body = RichTextField(pgettext_lazy("bulletins", "body"))
    audience_all = models.BooleanField(
        _("all staff"),
        default=True,
        help_text=_("Untick to address only the departments chosen below (with their sections)."),
    )
    audience_departments = ParentalManyToManyField(
        "portal.Department",
        verbose_name=pgettext_lazy("bulletins", "departments"),
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(
        _("listed until"),
        null=True,
        blank=True,
        help_text=_("After this time the notice leaves the lists but stays in the board archive."),
    )
    pinned = models.BooleanField(_("pin to top"), default=False)
    must_acknowledge = models.BooleanField(_("must acknowledge"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        InlinePanel("attachments", label=pgettext_lazy("bulletins", "Attachments")),
        MultiFieldPanel(
            [FieldPanel("audience_all"), FieldPanel("audience_departments")],
            heading=pgettext_lazy("bulletins", "Audience"),
        ),
        MultiFieldPanel(
            [FieldPanel("pinned"), FieldPanel("must_acknowledge"), FieldPanel("expires_at")],
            heading=_("Listing"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    base_form_class = NoticeAdminForm
    parent_page_types = ["bulletins.Board"]
    subpage_types = []

    class Meta:
        verbose_name = pgettext_lazy("bulletins", "notice")
        verbose_name_plural = pgettext_lazy("bulletins", "notices")
        # The home page's pinned and unacknowledged lists read a few hundred notices through
        # these partial indexes. A plain index on expires_at would mislead SQLite (without
        # statistics, "expires_at IS NULL" looks selective though it holds for almost every
        # notice) into reading every notice by it, then sorting them, on the home and board
        # pages.
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=models.Q(pinned=True),
                name="bulletins_notice_pinned_idx",
            ),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(must_acknowledge=True),
                name="bulletins_notice_must_ack_idx",
            ),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.expires_at and self.go_live_at and self.expires_at <= self.go_live_at:
            raise ValidationError(
                {"expires_at": _("The notice must be listed after it goes live.")}
            )

    def serve(self, request, *args, **kwargs):
        from bulletins.notice_reader import notice_reader_state_read
        from bulletins.services import notice_read_record

        state = notice_reader_state_read(notice=self, user=request.user)
        if state is None:
            raise Http404
        if not state["read"]:
            notice_read_record(notice=self, user=request.user)
        # For get_context: the board and the reader's state are read already.
        self._reader_state = state
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from bulletins.selectors import notice_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            notice_page_context(
                notice=self, user=request.user, state=getattr(self, "_reader_state", None)
            )
        )
        return context


class NoticeAttachment(Orderable):
    """A document attached to a notice; downloaded only through the notice's own view."""

    notice = ParentalKey(
        Notice,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=pgettext_lazy("bulletins", "notice"),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=pgettext_lazy("bulletins", "document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = pgettext_lazy("bulletins", "attachment")
        verbose_name_plural = pgettext_lazy("bulletins", "attachments")


class NoticeRead(models.Model):
    """A reader opened a notice (first time), and possibly acknowledged it."""

    notice = models.ForeignKey(
        Notice,
        on_delete=models.CASCADE,
        related_name="reads",
        verbose_name=pgettext_lazy("bulletins", "notice"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "reader"),
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notice reads")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="bulletins_read_once")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.notice_id}"


class Acknowledgement(models.Model):
    """A reader confirmed a must-acknowledge notice."""

    notice = models.ForeignKey(
        Notice,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=pgettext_lazy("bulletins", "notice"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("bulletins", "acknowledgement")
        verbose_name_plural = pgettext_lazy("bulletins", "acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="bulletins_acknowledge_once")
        ]

    def __str__(self):
        return f"{self.user_id} acknowledged {self.notice_id}"


class NoticeReminder(models.Model):
    """A reminder sent to one reader who had not acknowledged a notice."""

    notice = models.ForeignKey(
        Notice,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=pgettext_lazy("bulletins", "notice"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "recipient"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "sent by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notice reminder")
        verbose_name_plural = _("notice reminders")

    def __str__(self):
        return f"reminder of {self.notice_id} to {self.recipient_id}"


class BoardDelegate(models.Model):
    """Someone a department head named to publish on the department's board."""

    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        related_name="delegates",
        verbose_name=pgettext_lazy("bulletins", "board"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "delegate"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "added by"),
    )
    created_at = models.DateTimeField(
        auto_now_add=True, verbose_name=pgettext_lazy("bulletins", "added at")
    )

    class Meta:
        verbose_name = _("board delegate")
        verbose_name_plural = _("board delegates")
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="bulletins_delegate_once")
        ]

    def __str__(self):
        return f"{self.user_id} publishes on {self.board_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The personal secret in a user's feed URLs; regenerating it revokes the old links."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bulletins_feed_token",
        verbose_name=pgettext_lazy("bulletins", "user"),
    )
    token = models.CharField(
        max_length=64,
        unique=True,
        default=new_feed_token,
        verbose_name=pgettext_lazy("bulletins", "token"),
    )
    created_at = models.DateTimeField(
        auto_now=True, verbose_name=pgettext_lazy("bulletins", "updated at")
    )

    class Meta:
        verbose_name = _("feed token")
        verbose_name_plural = _("feed tokens")

    def __str__(self):
        return f"feed token of {self.user_id}"


class Discussion(models.Model):
    """A discussion topic a board's editors open: a question with background, open for
    suggestions between two dates unless closed earlier.

    The suggestions are the replies of a forum topic on a forum board this app runs, written
    under pseudonyms on the discussion's own page through the forum's posting service
    (`forum.services.posting.post_reply` on behalf of "bulletins"). The forum refuses any other
    reply to that topic, the forum's reply form and moderators included. The topic is locked
    from the start and stays locked (the forum's pages show no reply form, and authors cannot
    edit or delete their suggestions there); the lock is never lifted: the discussion's own
    checks (dates, closing) decide which replies are posted."""

    board = models.ForeignKey(
        Board,
        verbose_name=pgettext_lazy("bulletins", "board"),
        on_delete=models.CASCADE,
        related_name="discussions",
    )
    question = models.CharField(pgettext_lazy("bulletins", "question"), max_length=200)
    background = models.TextField(_("background"), max_length=5000)
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))
    forum_topic = models.OneToOneField(
        "forum.Topic",
        on_delete=models.PROTECT,
        related_name="bulletins_discussion",
        verbose_name=pgettext_lazy("bulletins", "forum topic"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "created by"),
    )
    created_at = models.DateTimeField(
        auto_now_add=True, verbose_name=pgettext_lazy("bulletins", "created at")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("bulletins", "closed by"),
    )

    class Meta:
        verbose_name = _("discussion topic")
        verbose_name_plural = _("discussion topics")
        indexes = [models.Index(fields=["closes_at", "opens_at"])]

    def __str__(self):
        return self.question

    def state(self, now=None) -> str:
        """ "upcoming", "open" or "closed" at `now`."""
        from django.utils import timezone

        now = now or timezone.now()
        if self.closed_at is not None or now >= self.closes_at:
            return "closed"
        if now < self.opens_at:
            return "upcoming"
        return "open"


class SuggestionMark(models.Model):
    """The board's answer to one suggestion (a forum post, by id; no names are copied)."""

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        CONSIDERING = "considering", _("Under consideration")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    discussion = models.ForeignKey(
        Discussion,
        on_delete=models.CASCADE,
        related_name="marks",
        verbose_name=_("discussion topic"),
    )
    post_id = models.PositiveBigIntegerField(_("forum post"))
    status = models.CharField(
        pgettext_lazy("bulletins", "status"), max_length=16, choices=Status.choices
    )
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion mark")
        verbose_name_plural = _("suggestion marks")
        constraints = [
            models.UniqueConstraint(fields=["discussion", "post_id"], name="bulletins_mark_once")
        ]

    def __str__(self):
        return f"{self.status} {self.post_id}"
