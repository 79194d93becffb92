"""The forum's writing pages: new topics, replies (with quotes), edits, deletions, reports and
following a topic or board. Each calls a service and re-shows its form with the service's
refusal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from forum import selectors
from forum.forms import ReplyForm, ReportForm, TopicForm
from forum.permissions import delete_window, may_delete_post, may_edit_post
from forum.rendering import quote_markdown
from forum.services import moderation, posting, reading
from forum.views.layout import choose_pseudonym_first, forum_context, forum_page
from portal.refusals import Refusal, refusal_response


@forum_page
def topic_create(request, slug):
    current = selectors.board_get(user=request.user, slug=slug)
    if current.owner_app:
        # Topics of another app's board (a department's discussion topics) are opened there.
        raise PermissionDenied
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return choose_pseudonym_first(request)
    form = TopicForm(request.POST or None)
    context = {"board": current, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            created = posting.topic_create(
                board=current,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                author=pseudonym,
            )
        except Refusal as error:
            return refusal_response(
                request, error, "forum/topic_form.html", forum_context(request, **context)
            )
        messages.success(request, _("Your topic is posted."))
        return redirect("forum:topic", created.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "forum/topic_form.html", forum_context(request, **context), status=status
    )


@forum_page
def topic_reply(request, topic_id):
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return choose_pseudonym_first(request)
    initial = {}
    if request.GET.get("quote", "").isdigit():
        quoted = selectors.post_get(user=request.user, post_id=int(request.GET["quote"]))
        if quoted.topic_id != current.pk or not quoted.is_visible:
            raise Http404
        initial["body"] = quote_markdown(pseudonym=quoted.author_label, body=quoted.body)
    form = ReplyForm(request.POST or None, initial=initial)
    context = {"topic": current, "board": current.board, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            reply = posting.post_reply(
                author=pseudonym, topic=current, body=form.cleaned_data["body"], user=request.user
            )
        except Refusal as error:
            return refusal_response(
                request, error, "forum/reply_form.html", forum_context(request, **context)
            )
        page = selectors.page_of_number(reply.number)
        return redirect(f"{reverse('forum:topic', args=[current.pk])}?page={page}#p{reply.number}")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "forum/reply_form.html", forum_context(request, **context), status=status
    )


@forum_page
def post_edit(request, post_id):
    found = selectors.post_get(user=request.user, post_id=post_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if not may_edit_post(pseudonym=pseudonym, post=found):
        raise PermissionDenied
    form = ReplyForm(request.POST or None, initial={"body": found.body})
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            posting.post_edit(author=pseudonym, post=found, body=form.cleaned_data["body"])
        except Refusal as error:
            return refusal_response(
                request, error, "forum/post_edit.html", forum_context(request, **context)
            )
        messages.success(request, _("Your post is updated."))
        return redirect("forum:post", found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/post_edit.html", forum_context(request, **context), status=status)


@forum_page
def post_delete(request, post_id):
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
            posting.post_delete(author=pseudonym, post=found)
        except Refusal as error:
            # The window closed between the check above and the write.
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your post is deleted."))
        return redirect("forum:post", found.pk)
    return render(
        request,
        "forum/post_delete.html",
        forum_context(request, post=found, topic=found.topic, board=found.topic.board),
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


@forum_page
def post_report(request, post_id):
    found = selectors.post_get(user=request.user, post_id=post_id)
    if not found.is_visible:
        raise Http404
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return choose_pseudonym_first(request)
    form = ReportForm(request.POST or None)
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        moderation.report_create(reporter=pseudonym, post=found, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. The moderators will look at this post."))
        return redirect("forum:post", found.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "forum/post_report.html", forum_context(request, **context), status=status
    )


@require_POST
@forum_page
def topic_subscribe(request, topic_id):
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return choose_pseudonym_first(request)
    followed = reading.subscription_toggle(pseudonym=pseudonym, topic=current)
    messages.success(
        request,
        _("You follow this topic now.") if followed else _("You no longer follow this topic."),
    )
    return redirect("forum:topic", current.pk)


@require_POST
@forum_page
def board_subscribe(request, slug):
    current = selectors.board_get(user=request.user, slug=slug)
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return choose_pseudonym_first(request)
    followed = reading.subscription_toggle(pseudonym=pseudonym, board=current)
    messages.success(
        request,
        _("You follow this board now.") if followed else _("You no longer follow this board."),
    )
    return redirect("forum:board", current.slug)
