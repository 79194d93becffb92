"""The identity auditors' pages: revealing the person behind a post (with a written reason,
recorded before anything is shown) and the log of reveals. Other employees get 403 here."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from forum import selectors
from forum.forms import RevealForm
from forum.permissions import is_identity_auditor
from forum.services import identity
from forum.views.layout import forum_context, forum_page
from portal.permissions import require
from portal.refusals import Refusal, refusal_response
from portal.second_factor import second_factor_required
from portal.selectors import employee_of


@never_cache
@forum_page
@require(is_identity_auditor)
@second_factor_required
def post_reveal(request, post_id):
    """The only page that names an author: an identity auditor gives a reason, the reveal is
    recorded, then — and only then — the person is shown."""
    found = selectors.post_get_for_reveal(post_id=post_id)
    form = RevealForm(request.POST or None)
    context = {"post": found, "topic": found.topic, "board": found.topic.board, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            reveal = identity.identity_reveal(
                auditor=request.user,
                post=found,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except Refusal as error:
            return refusal_response(
                request, error, "forum/post_reveal.html", forum_context(request, **context)
            )
        response = render(
            request,
            "forum/post_revealed.html",
            forum_context(
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
        request, "forum/post_reveal.html", forum_context(request, **context), status=status
    )
    response["Cache-Control"] = "private, no-store"
    return response


@forum_page
@require(is_identity_auditor)
@second_factor_required
def reveals(request):
    """The reveal log for identity auditors: who revealed which post, when and why (the people
    revealed are not listed again)."""
    items = selectors.reveal_log()
    return render(request, "forum/reveals.html", forum_context(request, items=items))
