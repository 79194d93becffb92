"""Views of the bulletins beside Wagtail's page serving: acknowledging, the publisher's report
and reminders, attachments, delegates and the personal Atom feeds."""

from io import BytesIO
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from bulletins.acknowledgements import (
    REPORT_FILTERS,
    REPORT_PAGE_SIZE,
    acknowledgement_report,
    report_key,
)
from bulletins.board_links import feed_lines_html, index_page
from bulletins.discussion_page import discussion_for_reader, discussion_page
from bulletins.forms import DelegateForm, DiscussionForm, MarkForm, ReplyForm
from bulletins.models import (
    Board,
    BoardDelegate,
    NoticeAttachment,
    SuggestionMark,
    board_or_notice_pages,
)
from bulletins.report_notice import notice_and_board_managed_by
from bulletins.report_people import ReportPeopleRows
from bulletins.report_rows import department_rows_html, people_rows_html
from bulletins.selectors import (
    URL_SAFE,
    boards_delegated_by,
    boards_managed_by,
    discussions_managed_by,
    feed_notices,
    feed_tokens_in_use,
    notices_managed_by,
    notices_visible_to,
)
from bulletins.services import (
    board_delegate_add,
    board_delegate_remove,
    discussion_close,
    discussion_mark,
    discussion_open,
    discussion_reply,
    feed_token_for,
    feed_token_regenerate,
    notice_acknowledge,
    notice_remind,
)
from bulletins.suggestion_rows import suggestion_rows_html
from portal.csrf_token import page_csrf_token
from portal.files import private_file_response
from portal.models import Department
from portal.pages import serve_routed
from portal.permissions import get_visible_or_404
from portal.refusals import Refusal
from portal.sites import site_for_face


def index(request):
    """The bulletins index page (a Wagtail page at the same address)."""
    page = index_page(request)
    if page is None:
        raise Http404
    return page.serve(request)


def board_or_notice(request, board_slug, notice_slug=None):
    """A board or a notice, served by Wagtail as at any other address of its pages, found in
    one query (`portal.pages.serve_routed`). Anything else under bulletins/ Wagtail routes its
    own way."""
    return serve_routed(request, board_or_notice_pages(request.path_info[1:]))


def _url(page):
    """The page's address on the intranet, without a host (the request's host is used)."""
    return page.relative_url(site_for_face("intranet"))


@require_POST
def acknowledge(request, notice_id):
    notice = get_visible_or_404(notices_visible_to(user=request.user), pk=notice_id)
    if not notice.must_acknowledge:
        messages.error(request, _("This notice does not ask for acknowledgement."))
        return redirect(_url(notice))
    notice_acknowledge(notice=notice, user=request.user)
    messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect(_url(notice))


@require_GET
def report(request, notice_id):
    # The notice (as `notice_managed_by` decides) and its board in one statement.
    found = notice_and_board_managed_by(user=request.user, notice_id=notice_id)
    if found is None:
        raise Http404
    notice, board = found
    try:
        department_id = int(request.GET.get("department", ""))
    except ValueError:
        department_id = None
    show = request.GET.get("show", "")
    if show not in REPORT_FILTERS:
        show = ""
    # The counts of every department; the people, a page at a time, in the list below them:
    # both kept under the notice's report key (`bulletins.acknowledgements`).
    key = report_key(notice=notice)
    report = acknowledgement_report(notice=notice, inline=False, key=key)
    selected = next(
        (row for row in report["departments"] if row["department"].pk == department_id), None
    )
    scope = selected or {
        "total": report["totals"]["audience"],
        "read": report["totals"]["read"],
        "acknowledged": report["totals"]["acknowledged"],
    }
    done = scope["acknowledged"] if notice.must_acknowledge else scope["read"]
    counts = {"all": scope["total"], "done": done, "pending": scope["total"] - done}
    # `report_people`'s list, a page of it read in one written-out statement; its count, and
    # how many it lists of each department, are known from the department counts (not counted
    # again).
    people = ReportPeopleRows(
        notice=notice,
        count=counts[show or "all"],
        department_id=selected["department"].pk if selected else None,
        show=show,
        departments=[
            (
                row["department"].pk,
                _listed(row, show=show, must_acknowledge=notice.must_acknowledge),
            )
            for row in report["departments"]
        ],
        kept_key=key,
    )
    # The notice is the board's child: its address is the board's and its slug, as Wagtail
    # writes it (`{% pageurl %}` twice worked the site's root paths out twice).
    board_url = board.get_url(request=request)
    context = {
        "notice": notice,
        "board": board,
        "board_url": board_url,
        "notice_url": f"{board_url}{quote(notice.slug, safe=URL_SAFE)}/",
        **report,
        "selected": selected,
        "show": show,
        "counts": counts,
        "page": _report_page(people, report["departments"], request.GET.get("page")),
    }
    context["department_rows"] = department_rows_html(
        report["departments"], selected=selected, query=request.GET
    )
    context["people_rows"] = people_rows_html(context["page"].object_list)
    return render(request, "bulletins/report.html", context)


def _listed(row, *, show, must_acknowledge) -> int:
    """How many people of a department's report row the list shows under `show`."""
    done = row["acknowledged"] if must_acknowledge else row["read"]
    return {"done": done, "pending": row["total"] - done}.get(show, row["total"])


def _report_page(people, departments, page_number):
    """One page of the report's people (rows of name, department_id, read_at, acknowledged_at:
    `ReportPeopleRows`, or `report_people(…).values(…)`), each given its Department from the
    report's rows (loaded already)."""
    page = Paginator(people, REPORT_PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    by_id = {row["department"].pk: row["department"] for row in departments}
    missing = {row["department_id"] for row in rows} - by_id.keys()
    if missing:  # someone joined the audience's department between the two reads
        by_id.update(Department.objects.in_bulk(missing))
    for row in rows:
        row["department"] = by_id[row["department_id"]]
    page.object_list = rows
    return page


@require_GET
def report_export(request, notice_id):
    from openpyxl import Workbook

    notice = get_visible_or_404(notices_managed_by(user=request.user), pk=notice_id)
    data = acknowledgement_report(notice=notice, inline=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("bulletins", "Acknowledgements")[:31]
    sheet.append(
        [
            pgettext("bulletins", "Department"),
            pgettext("bulletins", "Employee number"),
            pgettext("bulletins", "Name"),
            pgettext("bulletins", "Read at"),
            pgettext("bulletins", "Acknowledged at"),
        ]
    )
    for row in data["departments"]:
        for person in row["people"]:
            sheet.append(
                [
                    row["department"].display_name,
                    person.employee_number,
                    person.name,
                    _naive(person.read_at),
                    _naive(person.acknowledged_at),
                ]
            )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(notice.slug) or "notice"
    response["Content-Disposition"] = f'attachment; filename="acknowledgements-{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def _naive(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


@require_POST
def remind(request, notice_id):
    notice = get_visible_or_404(notices_managed_by(user=request.user), pk=notice_id)
    if not notice.must_acknowledge:
        messages.error(request, _("This notice does not ask for acknowledgement."))
    else:
        count = notice_remind(notice=notice, actor=request.user, request=request)
        if count:
            messages.success(
                request, _("Reminders are being sent to %(count)d people.") % {"count": count}
            )
        else:
            messages.info(
                request,
                _("Nobody to remind: everyone has acknowledged or was reminded a short while ago."),
            )
    return redirect("bulletins:report", notice_id=notice.pk)


@require_GET
def attachment(request, notice_id, attachment_id):
    notice = get_visible_or_404(notices_visible_to(user=request.user), pk=notice_id)
    item = get_visible_or_404(
        NoticeAttachment.objects.select_related("document").filter(notice=notice),
        pk=attachment_id,
    )
    return private_file_response(item.document.file, filename=item.document.filename)


def delegates(request, board_id):
    board = get_visible_or_404(boards_delegated_by(user=request.user), pk=board_id)
    form = DelegateForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        board_delegate_add(
            board=board, user=form.employee.user, actor=request.user, request=request
        )
        messages.success(
            request, _("%(name)s may now publish on this board.") % {"name": form.employee.name}
        )
        return redirect("bulletins:delegates", board_id=board.pk)
    current = BoardDelegate.objects.filter(board=board).select_related("user__employee__department")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bulletins/delegates.html",
        {"board": board, "form": form, "delegates": current},
        status=status,
    )


@require_POST
def delegate_remove(request, board_id, user_id):
    board = get_visible_or_404(boards_delegated_by(user=request.user), pk=board_id)
    delegate = get_visible_or_404(
        BoardDelegate.objects.select_related("user").filter(board=board), user_id=user_id
    )
    board_delegate_remove(board=board, user=delegate.user, actor=request.user, request=request)
    messages.success(request, _("The delegate was removed."))
    return redirect("bulletins:delegates", board_id=board.pk)


@require_GET
def feeds(request):
    token = feed_token_for(user=request.user)
    lines = feed_lines_html(token=token.token, request=request)
    return render(request, "bulletins/feeds.html", {"token": token, "board_lines": lines})


@require_POST
def feeds_regenerate(request):
    feed_token_regenerate(user=request.user, request=request)
    messages.success(request, _("New feed links were made; the old ones no longer work."))
    return redirect("bulletins:feeds")


def _atom(request, *, title, link, notices):
    feed = Atom1Feed(
        title=title, link=request.build_absolute_uri(link), description="", language="zh-hans"
    )
    for notice in notices:
        url = request.build_absolute_uri(_url(notice))
        feed.add_item(
            title=notice.title,
            link=url,
            unique_id=url,
            description=notice.body,
            pubdate=notice.first_published_at,
            updateddate=notice.last_published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_GET
def channels_feed(request, token):
    """The factory channels' feed of the token's owner; works without a session (feed readers)."""
    user = get_visible_or_404(feed_tokens_in_use(), token=token).user
    channels = list(Board.objects.live().filter(kind__in=Board.CHANNELS))
    return _atom(
        request,
        title=pgettext("bulletins", "Factory news"),
        link=reverse("bulletins:index"),
        notices=feed_notices(user=user, boards=channels),
    )


@login_not_required
@require_GET
def board_feed(request, token, board_id):
    """One board's feed of the token's owner; works without a session (feed readers)."""
    user = get_visible_or_404(feed_tokens_in_use(), token=token).user
    board = get_visible_or_404(Board.objects.live(), pk=board_id)
    return _atom(
        request,
        title=board.display_title,
        link=_url(board),
        notices=feed_notices(user=user, boards=[board]),
    )


# --- discussion topics ------------------------------------------------------------------------


def discussion_create(request, board_id):
    board = get_visible_or_404(
        boards_managed_by(user=request.user).select_related("department"), pk=board_id
    )
    form = DiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion = discussion_open(
                board=board, actor=request.user, request=request, **form.cleaned_data
            )
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The discussion topic is open."))
            return redirect("bulletins:discussion", discussion_id=discussion.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "bulletins/discussion_form.html", {"form": form, "board": board}, status=status
    )


def discussion(request, discussion_id):
    """The discussion: question, background, suggestions under pseudonyms, the board's marks;
    employees reply here (through the forum's posting service)."""
    # The discussion, its board, counts and the viewer's pseudonym in one statement, the page of
    # suggestions with their marks in another (bulletins/discussion_page.py).
    reader = discussion_for_reader(user=request.user, discussion_id=discussion_id)
    current = reader.discussion
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                discussion_reply(
                    discussion=current, user=request.user, body=form.cleaned_data["body"]
                )
            except Refusal as error:
                messages.error(request, error.message)
                status = error.status
            else:
                messages.success(request, _("Thank you: your suggestion is posted."))
                return redirect(
                    reverse("bulletins:discussion", args=[current.pk]) + "?page=last#latest"
                )
        else:
            status = 400
    context = discussion_page(reader=reader, user=request.user, page_number=request.GET.get("page"))
    context["form"] = form
    context["suggestion_rows"] = suggestion_rows_html(
        context["suggestions"],
        discussion_id=current.pk,
        page_number=context["page"].number,
        statuses=context["statuses"],
        may_manage=context["may_manage"],
        # The mark forms' token (read only for them, as the template's tag did).
        csrf_token=page_csrf_token(request)
        if context["may_manage"] and context["suggestions"]
        else "",
    )
    context["board_url"] = _url(current.board)
    context["choose_pseudonym_url"] = (
        reverse("forum:pseudonym_choose")
        + "?next="
        + reverse("bulletins:discussion", args=[current.pk])
    )
    return render(request, "bulletins/discussion.html", context, status=status)


@require_POST
def discussion_mark_view(request, discussion_id, post_id):
    current = get_visible_or_404(discussions_managed_by(user=request.user), pk=discussion_id)
    form = MarkForm(request.POST, statuses=SuggestionMark.Status.choices)
    if not form.is_valid():
        messages.error(request, _("Choose adopted, under consideration or not adopted."))
        return redirect("bulletins:discussion", discussion_id=current.pk)
    try:
        discussion_mark(
            discussion=current,
            post_id=post_id,
            actor=request.user,
            request=request,
            **form.cleaned_data,
        )
    except Refusal as error:
        if error.status == 404:
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("The suggestion is marked."))
    page = request.POST.get("page", "")
    return redirect(
        reverse("bulletins:discussion", args=[current.pk])
        + (f"?page={page}" if page.isdigit() else "")
        + f"#post-{post_id}"
    )


@require_POST
def discussion_close_view(request, discussion_id):
    current = get_visible_or_404(discussions_managed_by(user=request.user), pk=discussion_id)
    discussion_close(discussion=current, actor=request.user, request=request)
    messages.success(request, _("The discussion is closed: no more replies."))
    return redirect("bulletins:discussion", discussion_id=current.pk)
