"""The forum's pages. Thin: parse input, call a selector or a service, render.

Every page shows authors by pseudonym only. The one response that names a person is the
identity auditor's reveal (`post_reveal`, POST), sent with `Cache-Control: private, no-store`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forum import selectors, services
from forum.forms import (
    MoveForm,
    PseudonymChoiceForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    RevealForm,
    SettingsForm,
    TopicForm,
)
from forum.models import IdentityReveal, RenameRequest, Report
from forum.permissions import (
    delete_window,
    is_identity_auditor,
    is_moderator,
    may_delete_post,
    may_edit_post,
    may_rename_pseudonyms,
    may_reply,
    may_use_forum,
)
from forum.rendering import quote_markdown

SESSION_OFFERED = "forum_offered_pseudonyms"


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except ValueError:
        return 1


def _context(request, **extra):
    """What every forum page shows around its content (the forum's own navigation)."""
    pseudonym = selectors.pseudonym_of(request.user)
    return {
        "active_module": "forum",
        "pseudonym": pseudonym,
        "notification_count": selectors.unread_notification_count(pseudonym=pseudonym),
        "is_moderator": is_moderator(request.user),
        "is_identity_auditor": is_identity_auditor(request.user),
        "may_rename_pseudonyms": may_rename_pseudonyms(request.user),
        **extra,
    }


def _require_forum(request):
    if not may_use_forum(request.user):
        raise Http404


def _choose_first(request):
    """Send someone without a pseudonym to choose one, then back here."""
    messages.info(request, _("Choose your pseudonym first: it is the only name others see."))
    return redirect(
        reverse("forum:pseudonym_choose") + "?" + urlencode({"next": request.get_full_path()})
    )


def _require_moderator(request):
    if not is_moderator(request.user):
        raise PermissionDenied


def _refused(request, template, context, error, status=None):
    """Re-show a form with the service's message (429 when it was the rate limit)."""
    context["error"] = error.message
    return render(request, template, _context(request, **context), status=status or error.status)


# --- reading ----------------------------------------------------------------------------------


def index(request):
    _require_forum(request)
    boards = list(selectors.boards_for_index(user=request.user))
    return render(request, "forum/index.html", _context(request, boards=boards))


def board(request, slug):
    _require_forum(request)
    current = selectors.board_get(user=request.user, slug=slug)
    page = selectors.topics_for_board(board=current, user=request.user, page=_page_number(request))
    pseudonym = selectors.pseudonym_of(request.user)
    return render(
        request,
        "forum/board.html",
        _context(
            request,
            board=current,
            page=page,
            subscribed=selectors.is_subscribed(pseudonym=pseudonym, board=current),
        ),
    )


def unread(request):
    _require_forum(request)
    page = selectors.unread_topics(user=request.user, page=_page_number(request))
    return render(request, "forum/unread.html", _context(request, page=page))


def topic(request, topic_id):
    _require_forum(request)
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    page_count = selectors.page_count(current)
    if request.GET.get("page") == "last":
        number = page_count
    else:
        number = min(_page_number(request), page_count)
    read_before = selectors.read_number(user=request.user, topic=current)
    posts = selectors.posts_for_topic(topic=current, page=number)
    if posts and posts[-1].number > read_before:
        services.topic_mark_read(user=request.user, topic=current, number=posts[-1].number)
    pseudonym = selectors.pseudonym_of(request.user)
    moderator = is_moderator(request.user)
    for post in posts:
        # One's own posts are never "unread" to oneself.
        post.is_unread = post.number > read_before and not (
            pseudonym is not None and post.author_id == pseudonym.pk
        )
        post.may_edit = may_edit_post(pseudonym=pseudonym, post=post)
        post.may_delete = may_delete_post(pseudonym=pseudonym, post=post)
        post.show_body = post.is_visible or (moderator and post.is_hidden)
    return render(
        request,
        "forum/topic.html",
        _context(
            request,
            topic=current,
            board=current.board,
            posts=posts,
            page_number=number,
            page_count=page_count,
            page_range=_page_links(number, page_count),
            may_reply=may_reply(pseudonym=pseudonym, topic=current, user=request.user),
            subscribed=selectors.is_subscribed(pseudonym=pseudonym, topic=current),
            reply_form=ReplyForm(),
        ),
    )


def _page_links(current, count):
    """First, last and a window around the current page; None marks a gap."""
    wanted = sorted({1, count, *range(max(1, current - 2), min(count, current + 2) + 1)})
    links, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            links.append(None)
        links.append(number)
        previous = number
    return links


def topic_unread(request, topic_id):
    """Jump to the first post the reader has not read yet."""
    _require_forum(request)
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    first_unread = min(
        selectors.read_number(user=request.user, topic=current) + 1, current.last_post_number
    )
    page = selectors.page_of_number(first_unread)
    return redirect(
        f"{reverse('forum:topic', args=[current.pk])}?page={page}#p{max(first_unread, 1)}"
    )


def post(request, post_id):
    """A post's permanent link: its page of the topic, scrolled to it."""
    _require_forum(request)
    found = selectors.post_get(user=request.user, post_id=post_id)
    page = selectors.page_of_number(found.number)
    return redirect(f"{reverse('forum:topic', args=[found.topic_id])}?page={page}#p{found.number}")


class BoardFeed(Feed):
    """Atom feed of a board's latest topics (signed-in readers only, like every forum page)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        _require_forum(request)
        return selectors.board_get(user=request.user, slug=slug)

    def title(self, obj):
        return obj.name

    def subtitle(self, obj):
        return obj.description

    def link(self, obj):
        return reverse("forum:board", args=[obj.slug])

    def items(self, obj):
        return (
            obj.topics.select_related("author")
            .order_by("-created_at", "-id")
            .only("id", "title", "created_at", "author__name", "signed_as", "board_id")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("Started by %(author)s") % {"author": item.author_label}

    def item_author_name(self, item):
        return item.author_label

    def item_link(self, item):
        return reverse("forum:topic", args=[item.pk])

    def item_pubdate(self, item):
        return item.created_at


board_feed = never_cache(BoardFeed())


# --- writing ----------------------------------------------------------------------------------


def topic_create(request, slug):
    _require_forum(request)
    current = selectors.board_get(user=request.user, slug=slug)
    if current.owner_app:
        # Topics of another app's board (a department's discussion topics) are opened there.
        raise PermissionDenied
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return _choose_first(request)
    form = TopicForm(request.POST or None)
    context = {"board": current, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            created = services.topic_create(
                board=current,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                author=pseudonym,
                user=request.user,
            )
        except services.ForumError as error:
            return _refused(request, "forum/topic_form.html", context, error)
        messages.success(request, _("Your topic is posted."))
        return redirect("forum:topic", created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/topic_form.html", _context(request, **context), status=status)


def topic_reply(request, topic_id):
    _require_forum(request)
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return _choose_first(request)
    initial = {}
    quoted = None
    if request.GET.get("quote", "").isdigit():
        quoted = selectors.post_get(user=request.user, post_id=int(request.GET["quote"]))
        if quoted.topic_id != current.pk or not quoted.is_visible:
            raise Http404
        initial["body"] = quote_markdown(pseudonym=quoted.author_label, body=quoted.body)
    form = ReplyForm(request.POST or None, initial=initial)
    context = {"topic": current, "board": current.board, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.post_reply(
                author=pseudonym, topic=current, body=form.cleaned_data["body"], user=request.user
            )
        except services.ForumError as error:
            return _refused(request, "forum/reply_form.html", context, error)
        page = selectors.page_of_number(reply.number)
        return redirect(f"{reverse('forum:topic', args=[current.pk])}?page={page}#p{reply.number}")
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/reply_form.html", _context(request, **context), status=status)


def post_edit(request, post_id):
    _require_forum(request)
    found = selectors.post_get(user=request.user, post_id=post_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if not may_edit_post(pseudonym=pseudonym, post=found):
        raise PermissionDenied
    form = ReplyForm(request.POST or None, initial={"body": found.body})
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(author=pseudonym, post=found, body=form.cleaned_data["body"])
        except services.ForumError as error:
            return _refused(request, "forum/post_edit.html", context, error)
        messages.success(request, _("Your post is updated."))
        return redirect("forum:post", found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/post_edit.html", _context(request, **context), status=status)


def post_delete(request, post_id):
    _require_forum(request)
    found = selectors.post_get(user=request.user, post_id=post_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if not may_edit_post(pseudonym=pseudonym, post=found):
        raise PermissionDenied
    if not may_delete_post(pseudonym=pseudonym, post=found):
        # One's own post, past the window: say why rather than a bare "forbidden".
        messages.error(request, _delete_window_passed())
        return redirect("forum:post", found.pk)
    if request.method == "POST":
        try:
            services.post_delete(author=pseudonym, post=found)
        except services.ForumError as error:
            # The window closed between the check above and the write.
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your post is deleted."))
        return redirect("forum:post", found.pk)
    return render(
        request,
        "forum/post_delete.html",
        _context(request, post=found, topic=found.topic, board=found.topic.board),
    )


def _delete_window_passed():
    minutes = int(delete_window().total_seconds() // 60)
    return ngettext(
        "This post can no longer be deleted: posts can be deleted for %(minutes)d minute "
        "after they are posted. You can still edit it.",
        "This post can no longer be deleted: posts can be deleted for %(minutes)d minutes "
        "after they are posted. You can still edit it.",
        minutes,
    ) % {"minutes": minutes}


def post_report(request, post_id):
    _require_forum(request)
    found = selectors.post_get(user=request.user, post_id=post_id)
    if not found.is_visible:
        raise Http404
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return _choose_first(request)
    form = ReportForm(request.POST or None)
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        services.report_create(reporter=pseudonym, post=found, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. The moderators will look at this post."))
        return redirect("forum:post", found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/post_report.html", _context(request, **context), status=status)


@require_POST
def topic_subscribe(request, topic_id):
    _require_forum(request)
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return _choose_first(request)
    followed = services.subscription_toggle(pseudonym=pseudonym, topic=current)
    messages.success(
        request,
        _("You follow this topic now.") if followed else _("You no longer follow this topic."),
    )
    return redirect("forum:topic", current.pk)


@require_POST
def board_subscribe(request, slug):
    _require_forum(request)
    current = selectors.board_get(user=request.user, slug=slug)
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return _choose_first(request)
    followed = services.subscription_toggle(pseudonym=pseudonym, board=current)
    messages.success(
        request,
        _("You follow this board now.") if followed else _("You no longer follow this board."),
    )
    return redirect("forum:board", current.slug)


# --- pseudonym, notifications, settings -------------------------------------------------------


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def pseudonym_choose(request):
    _require_forum(request)
    if selectors.pseudonym_of(request.user) is not None:
        return redirect("forum:settings")
    offered = request.session.get(SESSION_OFFERED) or []
    if request.method != "POST" or not offered or request.POST.get("refresh"):
        offered = services.pseudonym_suggestions()
        request.session[SESSION_OFFERED] = offered
        form = PseudonymChoiceForm(offered=offered)
        status = 200
    else:
        form = PseudonymChoiceForm(request.POST, offered=offered)
        status = 400
        if form.is_valid():
            try:
                chosen = services.pseudonym_choose(
                    user=request.user, name=form.cleaned_data["name"], offered=offered
                )
            except services.ForumError as error:
                request.session[SESSION_OFFERED] = services.pseudonym_suggestions()
                messages.error(request, error.message)
                return redirect(request.get_full_path())
            del request.session[SESSION_OFFERED]
            messages.success(
                request, _("You are %(name)s in the forum from now on.") % {"name": chosen.name}
            )
            return redirect(_safe_next(request, reverse("forum:index")))
    return render(
        request,
        "forum/pseudonym_choose.html",
        _context(request, form=form, next=_safe_next(request, "")),
        status=status,
    )


def notifications(request):
    _require_forum(request)
    pseudonym = selectors.pseudonym_of(request.user)
    if request.method == "POST":
        if pseudonym is not None:
            services.notifications_mark_read(pseudonym=pseudonym)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("forum:notifications")
    items = selectors.notifications_for(pseudonym=pseudonym)
    return render(request, "forum/notifications.html", _context(request, items=items))


def forum_settings(request):
    _require_forum(request)
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return _choose_first(request)
    form = SettingsForm(
        request.POST or None, initial={"email_notifications": pseudonym.email_notifications}
    )
    if request.method == "POST" and request.POST.get("action") == "request_rename":
        try:
            services.pseudonym_rename_request(pseudonym=pseudonym)
        except services.ForumError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your request is sent. An administrator will choose a new name.")
            )
        return redirect("forum:settings")
    if request.method == "POST" and form.is_valid():
        services.pseudonym_set_preferences(
            pseudonym=pseudonym, email_notifications=form.cleaned_data["email_notifications"]
        )
        messages.success(request, _("Your settings are saved."))
        return redirect("forum:settings")
    rename_pending = RenameRequest.objects.filter(
        pseudonym=pseudonym, resolved_at__isnull=True
    ).exists()
    return render(
        request,
        "forum/settings.html",
        _context(request, form=form, rename_pending=rename_pending),
    )


@never_cache
def pseudonyms_json(request):
    """Pseudonyms starting with `q`, for @mention completion: names only, never people."""
    _require_forum(request)
    names = selectors.pseudonyms_matching(prefix=request.GET.get("q", "").strip())
    return JsonResponse({"pseudonyms": names})


# --- moderation -------------------------------------------------------------------------------


def moderation(request):
    _require_forum(request)
    _require_moderator(request)
    reports = selectors.open_reports(user=request.user)
    return render(request, "forum/moderation.html", _context(request, reports=reports))


@require_POST
def report_dismiss(request, report_id):
    _require_forum(request)
    _require_moderator(request)
    report = Report.objects.filter(pk=report_id, resolved_at__isnull=True).first()
    if report is None:
        raise Http404
    services.report_dismiss(moderator=request.user, report=report, request=request)
    messages.success(request, _("The report is dismissed."))
    return redirect("forum:moderation")


def post_hide(request, post_id):
    _require_forum(request)
    _require_moderator(request)
    found = selectors.post_get(user=request.user, post_id=post_id)
    form = ReasonForm(request.POST or None)
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        services.post_hide(
            moderator=request.user, post=found, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, _("The post is hidden."))
        return redirect("forum:post", found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/post_hide.html", _context(request, **context), status=status)


@require_POST
def post_restore(request, post_id):
    _require_forum(request)
    _require_moderator(request)
    found = selectors.post_get(user=request.user, post_id=post_id)
    services.post_restore(moderator=request.user, post=found, request=request)
    messages.success(request, _("The post is shown again."))
    return redirect("forum:post", found.pk)


def post_history(request, post_id):
    _require_forum(request)
    _require_moderator(request)
    found = selectors.post_get(user=request.user, post_id=post_id)
    revisions = list(found.revisions.all()[:50])
    return render(
        request,
        "forum/post_history.html",
        _context(
            request, post=found, topic=found.topic, board=found.topic.board, revisions=revisions
        ),
    )


@require_POST
def topic_moderate(request, topic_id):
    _require_forum(request)
    _require_moderator(request)
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    action = request.POST.get("action", "")
    try:
        services.topic_moderate(
            moderator=request.user, topic=current, action=action, request=request
        )
    except services.ForumError as error:
        messages.error(request, error.message)
        return redirect("forum:topic", current.pk)
    messages.success(request, TOPIC_ACTION_DONE[action])
    return redirect("forum:topic", current.pk)


TOPIC_ACTION_DONE = {
    "lock": gettext_lazy("The topic is locked."),
    "unlock": gettext_lazy("The topic is open for replies again."),
    "pin": gettext_lazy("The topic is pinned."),
    "unpin": gettext_lazy("The topic is no longer pinned."),
}


def topic_move(request, topic_id):
    _require_forum(request)
    _require_moderator(request)
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    boards = selectors.boards_visible_to(user=request.user).exclude(pk=current.board_id)
    form = MoveForm(request.POST or None, boards=boards)
    context = {"topic": current, "board": current.board, "form": form, "targets": boards.exists()}
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_move(
                moderator=request.user,
                topic=current,
                board=form.cleaned_data["board"],
                request=request,
            )
        except services.ForumError as error:
            return _refused(request, "forum/topic_move.html", context, error)
        messages.success(request, _("The topic is moved."))
        return redirect("forum:topic", current.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/topic_move.html", _context(request, **context), status=status)


# --- identity auditors and administrators -----------------------------------------------------


@never_cache
def post_reveal(request, post_id):
    """The only page that names an author: an identity auditor gives a reason, the reveal is
    recorded, then — and only then — the person is shown."""
    _require_forum(request)
    if not is_identity_auditor(request.user):
        raise PermissionDenied
    found = selectors.post_get_for_reveal(post_id=post_id)
    form = RevealForm(request.POST or None)
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            reveal = services.identity_reveal(
                auditor=request.user,
                post=found,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.ForumError as error:
            return _refused(request, "forum/post_reveal.html", context, error)
        from portal.selectors import employee_of

        response = render(
            request,
            "forum/post_revealed.html",
            _context(
                request,
                reveal=reveal,
                person=reveal.revealed_user,
                employee=employee_of(reveal.revealed_user),
                **context,
            ),
        )
        response["Cache-Control"] = "private, no-store"
        return response
    status = 400 if request.method == "POST" else 200
    response = render(
        request, "forum/post_reveal.html", _context(request, **context), status=status
    )
    response["Cache-Control"] = "private, no-store"
    return response


def reveals(request):
    """The reveal log for identity auditors: who revealed which post, when and why (the people
    revealed are not listed again)."""
    _require_forum(request)
    if not is_identity_auditor(request.user):
        raise PermissionDenied
    items = list(
        IdentityReveal.objects.select_related("auditor", "pseudonym", "post__topic").order_by(
            "-created_at", "-id"
        )[:200]
    )
    return render(request, "forum/reveals.html", _context(request, items=items))


def pseudonym_admin(request):
    """An administrator grants or declines holders' requests for a new pseudonym, seeing the
    pseudonyms only."""
    _require_forum(request)
    if not may_rename_pseudonyms(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        request_id = request.POST.get("request", "")
        pending = (
            RenameRequest.objects.select_related("pseudonym")
            .filter(pk=int(request_id), resolved_at__isnull=True)
            .first()
            if request_id.isdigit()
            else None
        )
        offered = request.session.get("forum_rename_offered") or []
        new_name = request.POST.get("new_name", "")
        status = 400
        if pending is None:
            messages.error(request, _("That request is no longer open."))
        elif request.POST.get("action") == "decline":
            services.pseudonym_rename_decline(actor=request.user, request=pending)
            messages.success(request, _("The request is declined."))
            return redirect("forum:pseudonym_admin")
        elif new_name not in offered:
            messages.error(request, _("Choose one of the names offered."))
        else:
            try:
                services.pseudonym_rename(
                    actor=request.user, pseudonym=pending.pseudonym, new_name=new_name
                )
            except services.ForumError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The pseudonym is now %(name)s.") % {"name": new_name})
                return redirect("forum:pseudonym_admin")
    requests = list(
        RenameRequest.objects.filter(resolved_at__isnull=True)
        .select_related("pseudonym")
        .order_by("requested_at", "id")[:50]
    )
    suggestions = services.pseudonym_suggestions() if requests else []
    request.session["forum_rename_offered"] = suggestions
    return render(
        request,
        "forum/pseudonym_admin.html",
        _context(request, requests=requests, suggestions=suggestions),
        status=status,
    )
