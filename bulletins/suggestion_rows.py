"""The discussion page's suggestions, written in one pass rather than by the template's loop
(the loop was a third of the page's CPU). Every value is escaped but the post's body, which the
forum stores as sanitised HTML (the template wrote it with `|safe`)."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _mark_form(*, discussion_id, post, mark, page_number, statuses, csrf_token) -> str:
    """The board editors' form marking one suggestion."""
    current = mark.status if mark else None
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if current == value else ""}>'
        f"{escape(label)}</option>"
        for value, label in statuses
    )
    action = escape(reverse("bulletins:discussion_mark", args=[discussion_id, post.pk]))
    # Translated outside the f-strings below (xgettext does not read inside them).
    status_label = escape(pgettext("bulletins", "Status"))
    answer_label = escape(pgettext("bulletins", "Short answer"))
    button = escape(_("Mark"))
    answer = escape(mark.answer) if mark and mark.answer else ""
    return (
        f'\n      <form method="post" class="mark-form" action="{action}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
        f'        <input type="hidden" name="page" value="{page_number}">\n'
        f'        <label for="status-{post.pk}">{status_label}</label>\n'
        f'        <select name="status" id="status-{post.pk}">{options}</select>\n'
        f'        <label for="answer-{post.pk}">'
        f"{answer_label}</label>\n"
        f'        <input type="text" name="answer" id="answer-{post.pk}" maxlength="500"'
        f' value="{answer}">\n'
        f'        <button type="submit">{button}</button>\n'
        "      </form>\n      "
    )


def suggestion_rows_html(
    suggestions, *, discussion_id, page_number, statuses, may_manage, csrf_token=""
) -> SafeString:
    """The `<li>` of each suggestion of the page (forum posts with their `mark` or None), as the
    template's loop wrote them between `<ol class="suggestions">` and `</ol>`; the mark form
    when `may_manage` (with `csrf_token`, the page's token)."""
    deleted = None
    rows = []
    last = len(suggestions) - 1
    for index, post in enumerate(suggestions):
        author = escape(post.author.name) if post.author else escape(post.signed_as)
        created = localtime(post.created_at)
        if post.is_deleted:
            if deleted is None:
                text = escape(_("Deleted by its author."))
                deleted = f'<p class="hint">{text}</p>'
            body = deleted
        else:
            body = f'<div class="post-body">{post.body_html}</div>'
        mark = post.mark
        marked = (
            f'\n      <p class="mark mark-{escape(mark.status)}"><span class="badge">'
            f"{escape(mark.get_status_display())}</span> {escape(mark.answer)}</p>\n      "
            if mark
            else ""
        )
        form = (
            _mark_form(
                discussion_id=discussion_id,
                post=post,
                mark=mark,
                page_number=page_number,
                statuses=statuses,
                csrf_token=csrf_token,
            )
            if may_manage
            else ""
        )
        rows.append(
            f'\n    <li class="suggestion" id="post-{post.pk}"'
            f"{' data-latest' if index == last else ''}>\n"
            f'      <p class="meta"><strong class="pseudonym">{author}</strong> '
            f'<time datetime="{created.isoformat()}">{created.strftime("%Y-%m-%d %H:%M")}</time>'
            f"</p>\n      {body}\n      {marked}\n      {form}\n    </li>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped but the body
