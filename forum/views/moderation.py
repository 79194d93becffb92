"""The moderators' pages: the report queue, hiding and restoring posts, a post's earlier
versions (also for its author), locking, pinning and moving topics. Other employees get 403
here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forum import selectors
from forum.forms import MoveForm, ReasonForm
from forum.permissions import may_see_post_history
from forum.services import moderation
from forum.views.layout import forum_context, forum_page, moderator_page
from portal.refusals import Refusal, refusal_response


@forum_page
@moderator_page
def report_queue(request):
    reports = selectors.open_reports(user=request.user)
    return render(request, "forum/moderation.html", forum_context(request, reports=reports))


@require_POST
@forum_page
@moderator_page
def report_dismiss(request, report_id):
    report = selectors.open_report_get(user=request.user, report_id=report_id)
    moderation.report_dismiss(moderator=request.user, report=report, request=request)
    messages.success(request, _("The report is dismissed."))
    return redirect("forum:moderation")


@forum_page
@moderator_page
def post_hide(request, post_id):
    found = selectors.post_get(user=request.user, post_id=post_id)
    form = ReasonForm(request.POST or None)
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        moderation.post_hide(
            moderator=request.user, post=found, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, _("The post is hidden."))
        return redirect("forum:post", found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/post_hide.html", forum_context(request, **context), status=status)


@require_POST
@forum_page
@moderator_page
def post_restore(request, post_id):
    found = selectors.post_get(user=request.user, post_id=post_id)
    moderation.post_restore(moderator=request.user, post=found, request=request)
    messages.success(request, _("The post is shown again."))
    return redirect("forum:post", found.pk)


@forum_page
def post_history(request, post_id):
    """Earlier versions of a post: for moderators and for the post's author."""
    found = selectors.post_get(user=request.user, post_id=post_id)
    pseudonym = selectors.pseudonym_of(request.user)
    if not may_see_post_history(user=request.user, pseudonym=pseudonym, post=found):
        raise PermissionDenied
    revisions = list(found.revisions.all()[:50])
    return render(
        request,
        "forum/post_history.html",
        forum_context(
            request, post=found, topic=found.topic, board=found.topic.board, revisions=revisions
        ),
    )


@require_POST
@forum_page
@moderator_page
def topic_moderate(request, topic_id):
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    action = request.POST.get("action", "")
    try:
        moderation.topic_moderate(
            moderator=request.user, topic=current, action=action, request=request
        )
    except Refusal as error:
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


@forum_page
@moderator_page
def topic_move(request, topic_id):
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    boards = selectors.boards_visible_to(user=request.user).exclude(pk=current.board_id)
    form = MoveForm(request.POST or None, boards=boards)
    context = {"topic": current, "board": current.board, "form": form, "targets": boards.exists()}
    if request.method == "POST" and form.is_valid():
        try:
            moderation.topic_move(
                moderator=request.user,
                topic=current,
                board=form.cleaned_data["board"],
                request=request,
            )
        except Refusal as error:
            return refusal_response(
                request, error, "forum/topic_move.html", forum_context(request, **context)
            )
        messages.success(request, _("The topic is moved."))
        return redirect("forum:topic", current.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "forum/topic_move.html", forum_context(request, **context), status=status
    )
