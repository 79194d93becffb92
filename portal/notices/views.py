"""Mass notice pages: compose, edit a draft, confirm, archive, inbox, detail, attachments."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from portal.models import Department
from portal.notices import selectors
from portal.notices.forms import NoticeForm
from portal.notices.inbox_sql import InboxRows
from portal.notices.listing import inbox_rows_html
from portal.notices.models import Notice
from portal.notices.permissions import may_compose, may_edit_notice, may_send_to_everyone
from portal.notices.services import (
    NoticeRefused,
    notice_discard,
    notice_draft_create,
    notice_draft_update,
    notice_send,
)
from portal.permissions import get_visible_or_404
from portal.refusals import refusal_response

PAGE_SIZE = 30


def _base(request, **context):
    return {"active_module": "notices", "may_compose": may_compose(request.user), **context}


def inbox(request):
    notices = InboxRows(user=request.user)  # notices_received_by's rows, written out
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    page.object_list = rows
    return render(
        request,
        "notices/inbox.html",
        _base(request, page=page, notice_rows=inbox_rows_html(rows)),
    )


def archive(request):
    page = Paginator(selectors.notices_sent_by(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notices/archive.html", _base(request, page=page))


def _editor_labels() -> dict:
    """The editor's toolbar and link dialog in the reader's language (Trix's `lang`)."""
    return {
        "bold": _("Bold"),
        "italic": _("Italic"),
        "strike": _("Strikethrough"),
        "link": _("Link"),
        "unlink": _("Unlink"),
        "url": _("Web address"),
        "urlPlaceholder": _("Enter a web address (https://…) or mailto:…"),
        "heading1": _("Heading"),
        "quote": pgettext("mass notice", "Quote"),
        "code": pgettext("mass notice", "Code"),
        "bullets": _("Bullets"),
        "numbers": _("Numbers"),
        "outdent": _("Decrease level"),
        "indent": _("Increase level"),
        "undo": _("Undo"),
        "redo": _("Redo"),
        "attachFiles": _("Attach files"),
        "remove": pgettext("mass notice", "Remove"),
        "captionPlaceholder": _("Add a caption…"),
    }


def _departments_for(user):
    if may_send_to_everyone(user):
        return Department.objects.order_by("sort_order", "name")
    from portal.notices.permissions import headed_departments

    return Department.objects.filter(pk__in=[d.pk for d in headed_departments(user)]).order_by(
        "sort_order", "name"
    )


def compose(request):
    if not may_compose(request.user):
        return render(request, "notices/not_allowed.html", _base(request), status=403)
    departments = _departments_for(request.user)
    form = NoticeForm(request.POST or None, request.FILES or None, departments=departments)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notice = notice_draft_create(
                    sender=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    body_format=form.cleaned_data["body_format"],
                    audience=form.audience(),
                    files=form.cleaned_data["attachments"],
                )
            except NoticeRefused as error:
                form.add_error(None, error.message)
            else:
                return redirect("notices:confirm", pk=notice.pk)
        status = 400
    return _render_compose(request, form, status=status)


def _render_compose(request, form, *, status, notice=None):
    """The compose form, for a new notice or for the author's draft (`notice`)."""
    return render(
        request,
        "notices/compose.html",
        _base(
            request,
            form=form,
            notice=notice,
            everyone=may_send_to_everyone(request.user),
            attachment_limit=settings.NOTICE_ATTACHMENT_MAX_BYTES,
            editor_labels=_editor_labels(),
        ),
        status=status,
    )


def edit(request, pk):
    """Reopen a draft in the compose form; saving goes back to the check-and-send page. Only
    its author edits it; a notice being sent or sent answers 409."""
    notice = get_visible_or_404(Notice.objects.filter(sender=request.user), pk=pk)
    if not may_edit_notice(request.user, notice):
        return render(
            request,
            "notices/not_editable.html",
            _base(request, notice=notice, error=_("This notice has been sent already.")),
            status=409,
        )
    if not may_compose(request.user):
        return render(request, "notices/not_allowed.html", _base(request), status=403)
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        departments=_departments_for(request.user),
        notice=notice,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notice_draft_update(
                    notice=notice,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    body_format=form.cleaned_data["body_format"],
                    audience=form.audience(),
                    files=form.cleaned_data["attachments"],
                    remove_attachments=form.cleaned_data["remove_attachments"],
                )
            except NoticeRefused as error:
                if error.status == 409:
                    return refusal_response(
                        request, error, "notices/not_editable.html", _base(request, notice=notice)
                    )
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft was saved; nothing has been sent yet."))
                return redirect("notices:confirm", pk=notice.pk)
        status = 400
    return _render_compose(request, form, notice=notice, status=status)


def _own_drafts(request):
    """A draft is its writer's alone (an administrator sees it only once it is sent)."""
    return Notice.objects.filter(sender=request.user, status=Notice.Status.DRAFT)


def confirm(request, pk):
    """The recipients' count and list before anything is sent; sending is a POST here."""
    notice = get_visible_or_404(_own_drafts(request), pk=pk)
    if request.method == "POST":
        try:
            count = notice_send(notice=notice, actor=request.user)
        except NoticeRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The notice is being sent to %(count)d recipients.") % {"count": count},
            )
            return redirect("notices:detail", pk=notice.pk)
    preview = selectors.audience_preview(notice.audience)
    return render(
        request,
        "notices/confirm.html",
        _base(request, notice=notice, preview=preview, attachments=list(notice.attachments.all())),
    )


@require_POST
def discard(request, pk):
    notice = get_visible_or_404(_own_drafts(request), pk=pk)
    notice_discard(notice=notice, actor=request.user)
    messages.info(request, _("The draft was discarded; nothing was sent."))
    return redirect("notices:compose")


def detail(request, pk):
    notice, manages = selectors.notice_for(user=request.user, pk=pk)
    if notice.status == Notice.Status.DRAFT:
        return redirect("notices:confirm", pk=notice.pk)
    context = _base(request, notice=notice, manages=manages)
    if manages:
        context["progress"] = selectors.notice_progress(notice=notice)
        context["deliveries"] = Paginator(selectors.notice_deliveries(notice=notice), 100).get_page(
            request.GET.get("page")
        )
    return render(request, "notices/detail.html", context)


def progress(request, pk):
    notice, manages = selectors.notice_for(user=request.user, pk=pk)
    if not manages:
        raise Http404
    response = JsonResponse(selectors.notice_progress(notice=notice))
    response["Cache-Control"] = "private, no-store"
    return response


def attachment(request, pk, attachment_pk):
    """An attachment, to the notice's sender, administrators and recipients only."""
    notice, _manages = selectors.notice_for(user=request.user, pk=pk)
    item = get_visible_or_404(notice.attachments.all(), pk=attachment_pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
