"""Rows of the staff's long tables rendered in Python: one pass over plain values instead of
some twenty template nodes, a `reverse` and translation lookups per row (issue 18)."""

import re
import unicodedata
from datetime import datetime
from html import escape as text

from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet import rules
from extranet.catalogue.models import Product
from extranet.crm.models import Visit, VisitCycle
from extranet.crm.visit_rows import LOG_FIELDS, WEEK_FIELDS
from extranet.desk.order_rows import FIELDS as ORDER_FIELDS
from extranet.feedback.desk_rows import FIELDS as FEEDBACK_DESK_FIELDS
from extranet.feedback.models import Feedback
from extranet.ordering.models import Order
from portal.figures import money_writer

# The fields the order rows are read with (the written-out reader's own tuple).
ORDER_ROW_FIELDS = ORDER_FIELDS
_PK = 987654321  # stands for each row's id in the one URL reversed per table


def order_rows(orders, *, selectable: bool) -> SafeString:
    """The <tr> elements of the staff's order list for `orders`, dictionaries of
    `ORDER_ROW_FIELDS`; with a checkbox per order when `selectable`."""
    order_url = _url_of("sales:order")
    date_format = formats.get_format("DATE_FORMAT")
    labels = {value: text(label) for value, label in Order.Status.choices}
    select_label = _("Select %(number)s")
    money = money_writer()
    dates = {}

    def day(value):
        if value not in dates:
            dates[value] = text(dateformat.format(value, date_format)) if value else ""
        return dates[value]

    delivery = {}
    rows = []
    for order in orders:
        pk = order["pk"]
        number = Order.number_of(pk)
        cycle = order["cycle"]
        if cycle not in delivery:
            delivery[cycle] = day(rules.delivery_date(cycle))
        status = text(order["status"])
        select = (
            f'<td><input type="checkbox" name="order" value="{pk}" '
            f'aria-label="{text(select_label % {"number": number})}"></td>'
            if selectable
            else ""
        )
        rows.append(
            f'<tr>{select}<td><a href="{order_url(pk)}">{number}</a></td>'
            f"<td>{text(order['retailer__store_name'])}</td>"
            f"<td>{text(order['retailer__route__code'] or '—')}</td>"
            f"<td>{day(cycle)}</td><td>{delivery[cycle]}</td>"
            f'<td><span class="status status-{status}">'
            f"{labels.get(order['status']) or status}</span></td>"
            f"<td>{text(str(order['total_cartons']))}</td>"
            f"<td>{text(money(order['total_amount']))}</td></tr>"
        )
    return _joined(rows)


# The fields the week's rows are read with (the written-out reader's own tuple).
VISIT_WEEK_FIELDS = WEEK_FIELDS


def _url_of(name: str):
    """A function of an id giving the URL `name` reversed for it, reversing only once."""
    url = reverse(name, args=[_PK])
    head, tail = url.split(str(_PK), 1)
    return lambda pk: f"{head}{pk}{tail}"


# The format characters most dates of these tables use, written without a DateFormat per value;
# any other character is left to Django's DateFormat, which formats each character on its own.
_PLAIN_FORMAT_CHARACTERS = {
    "Y": lambda value: f"{value.year:04d}",
    "m": lambda value: f"{value.month:02d}",
    "d": lambda value: f"{value.day:02d}",
    "j": lambda value: str(value.day),
    "n": lambda value: str(value.month),
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
}


def date_formatter(date_format: str):
    """A function giving `value|date:date_format` of a template (a datetime in the current time
    zone, "" for no value) in the active language, the format read once."""
    weekdays = {}

    def weekday(value):
        day = value.weekday()
        if day not in weekdays:
            weekdays[day] = str(dateformat.WEEKDAYS_ABBR[day])
        return weekdays[day]

    parts = []
    for index, piece in enumerate(dateformat.re_formatchars.split(formats.get_format(date_format))):
        if index % 2:
            if piece in _PLAIN_FORMAT_CHARACTERS:
                parts.append(_PLAIN_FORMAT_CHARACTERS[piece])
            elif piece == "D":
                parts.append(weekday)
            else:
                parts.append(lambda value, piece=piece: dateformat.format(value, piece))
        elif piece:
            parts.append(dateformat.re_escaped.sub(r"\1", piece))

    # The current time zone read once, not per value.
    zone = timezone.get_current_timezone()

    def formatted(value) -> str:
        if not value:
            return ""
        if isinstance(value, datetime):
            value = timezone.localtime(value, zone)
        return "".join([part if isinstance(part, str) else part(value) for part in parts])

    return formatted


def _truncated(text: str, length: int) -> str:
    """`text|truncatechars:length` of a template, without a Truncator when nothing is cut."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= length else Truncator(text).chars(length)


_NEWLINES = re.compile(r"\r\n|\r")


def _lines(value: str) -> str:
    """`value|linebreaksbr` of a template."""
    if "\r" in value:
        value = _NEWLINES.sub("\n", value)
    return text(value).replace("\n", "<br>")


def _joined(rows: list[str]) -> SafeString:
    # Every value in the rows went through `text` (html.escape, what Django's escape does) or
    # is an integer id or markup written here.
    return mark_safe("\n".join(rows))  # noqa: S308


def visit_week_rows(visits) -> SafeString:
    """The <tr> elements of the week's visits for `visits`, dictionaries of
    `VISIT_WEEK_FIELDS`: the day, the store, the manager, the way, what came of it and the
    links to record, correct or drop."""
    retailer_url = _url_of("sales:retailer")
    visit_url = _url_of("sales:visit")
    cancel_url = _url_of("sales:visit_cancel")
    ways = {value: text(label) for value, label in Visit.Way.choices}
    done_when = date_formatter("D m-d H:i")
    planned_when = date_formatter("D m-d")
    planned = '<span class="status">{}</span>'.format(text(pgettext("visit", "Planned")))
    correct = text(pgettext("visit", "Correct"))
    record = text(pgettext("visit", "Record"))
    drop = text(pgettext("visit", "Drop"))
    rows = []
    for visit in visits:
        pk = visit["pk"]
        if visit["done_at"]:
            when = done_when(visit["done_at"])
            way = ways.get(visit["way"]) or text(visit["way"])
            actions = f'<a href="{visit_url(pk)}">{correct}</a>'
        else:
            when = planned_when(visit["planned_on"])
            way = planned
            actions = (
                f'<a class="button" href="{visit_url(pk)}">{record}</a> '
                f'<a href="{cancel_url(pk)}">{drop}</a>'
            )
        rows.append(
            f"<tr><td>{text(when)}</td>\n"
            f'<td><a href="{retailer_url(visit["retailer_id"])}">'
            f"{text(visit['retailer__store_name'])}</a><br>"
            f'<span class="hint">{text(visit["retailer__address"])}</span></td>\n'
            f"<td>{text(visit['account_manager__name'] or '—')}</td>\n<td>{way}</td>\n"
            f"<td>{text(_truncated(visit['outcome'] or '—', 120))}</td>\n"
            f"<td>{text(_truncated(visit['next_step'] or '—', 80))}</td>\n"
            f"<td>{actions}</td></tr>"
        )
    return _joined(rows)


NOT_VISITED_FIELDS = (
    "pk",
    "store_name",
    "licence_number",
    "visit_cycle",
    "account_manager__name",
    "last_contact_at",
    "next_planned_id",
    "next_planned_on",
)


def not_visited_rows(retailers) -> SafeString:
    """The <tr> elements of the stores not visited this cycle for `retailers`, dictionaries of
    `NOT_VISITED_FIELDS`."""
    retailer_url = _url_of("sales:retailer")
    visit_url = _url_of("sales:visit")
    record_url = reverse("sales:visit_new") + "?retailer="
    cycles = {value: str(label) for value, label in VisitCycle.choices}
    date_time = date_formatter("SHORT_DATETIME_FORMAT")
    short_date = date_formatter("SHORT_DATE_FORMAT")
    record = text(pgettext("visit", "Record"))
    rows = []
    for retailer in retailers:
        pk = retailer["pk"]
        if retailer["next_planned_id"]:
            planned = (
                f'<a href="{visit_url(retailer["next_planned_id"])}">'
                f"{text(short_date(retailer['next_planned_on']))}</a>"
            )
        else:
            planned = "—"
        cycle = cycles.get(retailer["visit_cycle"], retailer["visit_cycle"])
        rows.append(
            f'<tr><td><a href="{retailer_url(pk)}">{text(retailer["store_name"])}</a></td>'
            f"<td>{text(retailer['licence_number'])}</td><td>{text(cycle)}</td>"
            f"<td>{text(retailer['account_manager__name'] or '—')}</td>"
            f"<td>{text(date_time(retailer['last_contact_at']) or '—')}</td><td>{planned}</td>"
            f'<td><a class="button" href="{record_url}{pk}">{record}</a></td></tr>'
        )
    return _joined(rows)


VISIT_LOG_FIELDS = LOG_FIELDS


def visit_log_rows(visits) -> SafeString:
    """The <tr> elements of a contact log for `visits`, dictionaries of `VISIT_LOG_FIELDS`:
    when, the store, the manager, the way, the place, what was said and came of it, the next
    step."""
    retailer_url = _url_of("sales:retailer")
    visit_url = _url_of("sales:visit")
    ways = {value: str(label) for value, label in Visit.Way.choices}
    date_time = date_formatter("SHORT_DATETIME_FORMAT")
    short_date = date_formatter("SHORT_DATE_FORMAT")
    planned_for = pgettext("visit", "Planned for %(day)s")
    rows = []
    for visit in visits:
        if visit["done_at"]:
            when = date_time(visit["done_at"])
            way = ways.get(visit["way"], visit["way"])
        else:
            when = planned_for % {"day": short_date(visit["planned_on"])}
            way = "—"
        next_step = _lines(visit["next_step"] or "—")
        if visit["next_on"]:
            next_step += f'<br><span class="hint">{text(short_date(visit["next_on"]))}</span>'
        rows.append(
            f'<tr><td><a href="{visit_url(visit["pk"])}">{text(when)}</a></td>\n'
            f'<td><a href="{retailer_url(visit["retailer_id"])}">'
            f"{text(visit['retailer__store_name'])}</a></td>\n"
            f"<td>{text(visit['account_manager__name'] or '—')}</td>\n<td>{text(way)}</td>\n"
            f"<td>{text(visit['place'] or '—')}</td>\n"
            f"<td>{_lines(visit['content'] or '—')}</td>\n"
            f"<td>{_lines(visit['outcome'] or '—')}</td>\n<td>{next_step}</td></tr>"
        )
    return _joined(rows)


# The fields the feedback desk's rows are read with (the written-out reader's own tuple).
FEEDBACK_ROW_FIELDS = FEEDBACK_DESK_FIELDS


def feedback_rows(items, *, with_manager: bool) -> SafeString:
    """The <tr> elements of the feedback desk's list for `items`, dictionaries of
    `FEEDBACK_ROW_FIELDS`; with the account manager's column when `with_manager`."""
    item_url = _url_of("sales:feedback_item")
    kinds = {value: str(label) for value, label in Feedback.Kind.choices}
    statuses = {value: str(label) for value, label in Feedback.Status.choices}
    due = date_formatter("DATETIME_FORMAT")
    overdue = ' <strong class="overdue">{}</strong>'.format(text(pgettext("feedback", "overdue")))
    now = timezone.now()
    rows = []
    for item in items:
        is_overdue = item["called_back_at"] is None and now >= item["callback_due_at"]
        status = item["status"]
        manager = f"\n    <td>{text(item['assigned_to__name'] or '—')}</td>" if with_manager else ""
        rows.append(
            f'<tr>\n    <td><a href="{item_url(item["pk"])}">{Feedback.number_of(item["pk"])}</a>'
            f"{' ★' if item['is_effective_complaint'] else ''}</td>\n"
            f"    <td>{text(item['retailer__store_name'])}</td>"
            f"<td>{text(kinds.get(item['kind'], item['kind']))}</td>\n"
            f'    <td><span class="status status-{text(status)}">'
            f"{text(statuses.get(status, status))}</span></td>\n"
            f"    <td>{text(due(item['callback_due_at']))}{overdue if is_overdue else ''}</td>"
            f"{manager}\n  </tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (escaped as in _joined)


def feedback_figure_rows(overdue_by_manager, rates) -> tuple[SafeString, SafeString]:
    """The <tr> elements of the feedback desk's two figure tables (`desk_figures`): the overdue
    call-backs by account manager and the on-time rate by month, as the template's loops
    wrote them."""

    unassigned = text(_("Unassigned"))
    overdue = "".join(
        f"<tr><td>{text(row['assigned_to__name']) if row['assigned_to__name'] else unassigned}"
        f"</td><td>{_shown(row['overdue'])}</td></tr>"
        for row in overdue_by_manager
    )
    month = date_formatter("YEAR_MONTH_FORMAT")
    by_month = "".join(
        f"<tr><td>{text(month(row['month']))}</td><td>{_shown(row['total'])}</td>"
        f"<td>{_shown(row['on_time'])}</td><td>{_shown(row['rate'])} %</td></tr>"
        for row in rates
    )
    # Every value went through `text`, as in _joined.
    return mark_safe(overdue), mark_safe(by_month)  # noqa: S308


def _shown(value) -> str:
    """`{{ value }}` of a template: localized, then as escaped text."""
    return text(str(localize(value)))


def stock_change_rows(changes) -> SafeString:
    """The <tr> elements of a product's recent stock changes for `changes`, dictionaries of
    `extranet.desk.stock_history.FIELDS`: when, by whom, before, after and why."""
    when = date_formatter("DATETIME_FORMAT")
    rows = []
    for change in changes:
        data = change["data"]
        before = _shown(data["old"]) if "old" in data else ""
        after = _shown(data["new"]) if "new" in data else ""
        rows.append(
            f"<tr><td>{text(when(change['created_at']))}</td>"
            f"<td>{text(change['actor_name'])}</td><td>{before}</td><td>{after}</td>"
            f"<td>{text(change['reason'])}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (escaped as in _joined)


PRODUCT_ROW_FIELDS = (
    "pk",
    "brand__name",
    "name",
    "is_scarce",
    "code",
    "status",
    "wholesale_price",
    "stock__available",
)


def product_rows(products, *, with_stock: bool) -> SafeString:
    """The <tr> elements of the staff's product inquiry for `products`, dictionaries of
    `PRODUCT_ROW_FIELDS`; the available cartons when `with_stock`, else a dash."""
    product_url = reverse("sales:products")
    statuses = {value: text(label) for value, label in Product.Status.choices}
    scarce = ' <span class="badge">{}</span>'.format(text(_("Allocated")))
    money = money_writer()
    rows = []
    for product in products:
        status = product["status"]
        stock = (product["stock__available"] or 0) if with_stock else "—"
        rows.append(
            f'<tr>\n    <td><a href="{product_url}{product["pk"]}/">'
            f"{text(product['brand__name'])} {text(product['name'])}</a>"
            f"{scarce if product['is_scarce'] else ''}</td>\n"
            f"    <td>{text(product['code'])}</td>\n"
            f"    <td>{statuses.get(status) or text(status)}</td>\n"
            f"    <td>{text(money(product['wholesale_price']))}</td>\n"
            f"    <td>{stock}</td>\n  </tr>"
        )
    return _joined(rows)
