"""The bulk import of retailers from an Excel file: read the rows, check every one, and save
all of them or none. The dry run runs in the request; the import itself is queued for the
worker (`retailer_import_task`)."""

import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet.catalogue.models import DeliveryRoute
from extranet.crm.models import Retailer, RetailerImport, VisitCycle
from extranet.crm.services import (
    DYNAMIC_FIELDS,
    STATIC_FIELDS,
    retailer_create,
    retailer_update,
)
from extranet.crm.tasks import retailer_import_task
from portal.import_files import import_file_forget, import_file_keep, import_file_kept
from portal.models import Employee
from portal.refusals import Refusal
from portal.services import audit_record

# The dry run runs in the request, so it is kept to small files; the import itself runs in the
# worker and takes files of the whole retailer base.
IMPORT_MAX_ROWS = 5000
IMPORT_QUEUED_MAX_ROWS = 60_000


@dataclass
class ImportRow:
    line: int
    licence_number: str
    action: str = ""  # "create", "update" or "error"
    values: dict | None = None
    errors: list[str] | None = None


# The columns a file may have: the field → the headings that name it, the English code first
# (the name the help text and older files use), then the Chinese headings of the GLOSSARY and
# the retailer profile (the first Chinese one is the template's).
COLUMNS = {
    "licence_number": ("licence_number", "许可证号", "烟草专卖零售许可证号", "license_number"),
    "store_name": ("store_name", "店名", "门店名称", "门店"),
    "legal_representative": ("legal_representative", "法定代表人", "负责人"),
    "address": ("address", "地址", "经营地址"),
    "region": ("region", "行政区域", "区域"),
    "route": ("route", "送货线路", "线路"),
    "order_day": ("order_day", "订货日"),
    "settlement": ("settlement", "结算方式"),
    "credit_limit": ("credit_limit", "信用额度"),
    "account_manager": ("account_manager", "客户经理工号", "客户经理"),
    "customer_nature": ("customer_nature", "客户性质"),
    "registered_capital": ("registered_capital", "注册资金（元）", "注册资金"),
    "display_form": ("display_form", "出样形式"),
    "phone_order_staff": ("phone_order_staff", "电话订货员"),
    "delivery_section": ("delivery_section", "送货路段"),
    "order_frequency": ("order_frequency", "订货频率"),
    "network_size": ("network_size", "网络规模"),
    "visit_cycle": ("visit_cycle", "拜访周期"),
    "compliance": ("compliance", "守法经营情况"),
    "licensing_bureau": ("licensing_bureau", "发证机关"),
    "monopoly_administrator": ("monopoly_administrator", "专卖管理员"),
    "annual_review_on": ("annual_review_on", "年审日期"),
    "business_characteristics": ("business_characteristics", "经营特色"),
    "mailing_address": ("mailing_address", "邮寄地址"),
}
REQUIRED_COLUMNS = ("licence_number", "store_name")


def _heading_key(text) -> str:
    """A heading as compared: lower case, parentheses full-width, no spaces in Chinese and
    "_" for a space in the English codes."""
    text = str(text or "").strip().lower().replace("(", "（").replace(")", "）")
    return "_".join(text.split()) if text.isascii() else "".join(text.split())


HEADINGS = {_heading_key(heading): name for name, names in COLUMNS.items() for heading in names}


def column_of(heading) -> str | None:
    """The field a column heading (English code or Chinese) names, or None."""
    return HEADINGS.get(_heading_key(heading))


def template_heading(name: str) -> str:
    """The Chinese heading of a column, as the template writes it."""
    return COLUMNS[name][1]


def retailer_rows_from_excel(file, *, max_rows: int = IMPORT_MAX_ROWS) -> list[dict]:
    """Rows of an uploaded .xlsx as dicts keyed by field name (the header row may use the
    English codes or the Chinese headings, see COLUMNS; other columns are ignored); Refusal
    when the file cannot be read, lacks the required columns or has more than `max_rows`
    rows."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a bad file
        raise Refusal(_("This is not an Excel (.xlsx) file.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [column_of(cell) for cell in next(rows, ())]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        workbook.close()
        raise Refusal(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(f"{template_heading(name)} ({name})" for name in missing)}
        )
    result = []
    for values in rows:
        if all(value in (None, "") for value in values):
            continue
        result.append(
            {name: value for name, value in zip(header, values, strict=False) if name is not None}
        )
        if len(result) > max_rows:
            workbook.close()
            raise Refusal(_("At most %(count)s rows per import.") % {"count": max_rows})
    workbook.close()
    return result


# The items of source 002 a file may carry (issue 16): optional columns; a column that is not
# in the file leaves the item as it is. Choices are given by their code or their label.
OPTIONAL_CHOICES = {
    "customer_nature": Retailer.CustomerNature,
    "display_form": Retailer.DisplayForm,
    "order_frequency": Retailer.OrderFrequency,
    "network_size": Retailer.NetworkSize,
    "compliance": Retailer.Compliance,
    "visit_cycle": VisitCycle,
}
OPTIONAL_TEXTS = {
    "phone_order_staff": 64,
    "delivery_section": 64,
    "licensing_bureau": 64,
    "monopoly_administrator": 64,
    "business_characteristics": 200,
    "mailing_address": 200,
}


# Words of the trade a file may use for a choice besides its code and its labels.
CHOICE_ALIASES = {
    "现结": Retailer.Settlement.CASH,
    "现金": Retailer.Settlement.CASH,
    "赊销": Retailer.Settlement.CREDIT,
}
WEEKDAY_NAMES = {
    **{
        f"{prefix}{day}": number
        for prefix in ("星期", "周")
        for number, day in enumerate("一二三四五六日", start=1)
    },
    "星期天": 7,
    "周天": 7,
}


def _choice(choices, text):
    """The value of a choice given by its code, or its label in English or Chinese."""
    given = text.strip().lower()
    alias = CHOICE_ALIASES.get(given)
    if alias is not None and alias in choices.values:
        return alias
    for value, label in choices.choices:
        names = {str(value).lower()}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(label).lower())
        if given in names:
            return value
    return None


def _optional_items(raw, values, errors):
    def text(name):
        value = raw.get(name)
        return "" if value is None else str(value).strip()

    for name, limit in OPTIONAL_TEXTS.items():
        if name in raw:
            values[name] = text(name)[:limit]
    for name, choices in OPTIONAL_CHOICES.items():
        if name not in raw:
            continue
        given = text(name)
        if not given:
            if name != "visit_cycle":
                values[name] = ""
            continue
        value = _choice(choices, given)
        if value is None:
            label = str(Retailer._meta.get_field(name).verbose_name)
            errors.append(_("Unknown %(item)s %(value)s.") % {"item": label, "value": given})
        else:
            values[name] = value
    if "registered_capital" in raw:
        given = text("registered_capital")
        if not given:
            values["registered_capital"] = None
        else:
            try:
                amount = Decimal(given).quantize(Decimal("0.01"))
                if amount < 0 or amount >= Decimal("1e12"):
                    raise ValueError
                values["registered_capital"] = amount
            except (ArithmeticError, ValueError):
                errors.append(_("Registered capital must be an amount."))
    if "annual_review_on" in raw:
        given = raw.get("annual_review_on")
        if isinstance(given, datetime):
            values["annual_review_on"] = given.date()
        elif isinstance(given, date):
            values["annual_review_on"] = given
        elif given in (None, ""):
            values["annual_review_on"] = None
        else:
            try:
                values["annual_review_on"] = date.fromisoformat(str(given).strip()[:10])
            except ValueError:
                errors.append(_("Annual review date must be a date (YYYY-MM-DD)."))


def _import_row(index, raw, routes, managers, existing) -> ImportRow:
    def text(name, limit):
        value = raw.get(name)
        return "" if value is None else str(value).strip()[:limit]

    licence = text("licence_number", 32)
    row = ImportRow(line=index, licence_number=licence, values={}, errors=[])
    if not licence:
        row.errors.append(_("Licence number is missing."))
    store = text("store_name", 128)
    if not store:
        row.errors.append(_("Store name is missing."))
    values = {
        "store_name": store,
        "legal_representative": text("legal_representative", 64),
        "address": text("address", 200),
        "region": text("region", 64),
    }
    route = text("route", 16)
    if route:
        if route not in routes:
            row.errors.append(_("Unknown route %(route)s.") % {"route": route})
        else:
            values["route"] = routes[route]
    day = text("order_day", 8)
    if day.endswith(".0"):  # a number typed in Excel
        day = day[:-2]
    day = str(WEEKDAY_NAMES.get(day, day))
    if day:
        if day not in {"1", "2", "3", "4", "5", "6", "7"}:
            row.errors.append(_("Order day must be 1 (Monday) to 7 (Sunday)."))
        else:
            values["order_day"] = int(day) - 1
    given_settlement = text("settlement", 16)
    settlement = (
        _choice(Retailer.Settlement, given_settlement)
        if given_settlement
        else Retailer.Settlement.CASH
    )
    if settlement is None:
        row.errors.append(_("Settlement must be cash or credit."))
    else:
        values["settlement"] = settlement
    credit = text("credit_limit", 16)
    if credit:
        try:
            values["credit_limit"] = Decimal(credit).quantize(Decimal("0.01"))
            if values["credit_limit"] < 0:
                raise ValueError
        except (ArithmeticError, ValueError):
            row.errors.append(_("Credit limit must be an amount."))
    manager = text("account_manager", 32)
    if manager:
        if manager not in managers:
            row.errors.append(_("Unknown employee number %(number)s.") % {"number": manager})
        else:
            values["account_manager"] = managers[manager]
    _optional_items(raw, values, row.errors)
    row.values = values
    row.action = "error" if row.errors else ("update" if licence in existing else "create")
    return row


def retailers_import(*, rows: list[dict], actor, apply: bool) -> list[ImportRow]:
    """Check (and with `apply`, save) retailers from spreadsheet rows: new licences are created,
    known ones updated. A dry run (apply=False) changes nothing and shows what would happen;
    applying is all or nothing — if any row has an error, nothing is saved."""
    routes = {route.code: route for route in DeliveryRoute.objects.all()}
    numbers = {str(raw.get("account_manager") or "").strip() for raw in rows} - {""}
    managers = {
        employee.employee_number: employee
        for employee in Employee.objects.filter(employee_number__in=numbers)
    }
    licences = [str(raw.get("licence_number") or "").strip() for raw in rows]
    existing = {
        retailer.licence_number: retailer
        for retailer in Retailer.objects.filter(licence_number__in=licences)
    }
    result = [
        _import_row(index, raw, routes, managers, existing)
        for index, raw in enumerate(rows, start=2)
    ]
    seen = set()
    for row in result:
        if row.licence_number and row.licence_number in seen:
            row.errors.append(_("This licence number appears twice in the file."))
            row.action = "error"
        seen.add(row.licence_number)
    if not apply or any(row.action == "error" for row in result):
        return result
    with transaction.atomic():
        for row in result:
            if row.action == "create":
                fields = dict(row.values)
                retailer_create(
                    licence_number=row.licence_number,
                    store_name=fields.pop("store_name"),
                    legal_representative=fields.pop("legal_representative"),
                    account_manager=fields.pop("account_manager", None),
                    actor=actor,
                    **fields,
                )
            else:
                # The sales administrator's import keeps both kinds of items.
                for group, names in (("static", STATIC_FIELDS), ("dynamic", DYNAMIC_FIELDS)):
                    changes = {k: v for k, v in row.values.items() if k in names}
                    if changes:
                        retailer_update(
                            retailer=existing[row.licence_number],
                            actor=actor,
                            changes=changes,
                            group=group,
                        )
        audit_record(actor=actor, action="retailer.imported", data={"rows": len(result)})
    return result


def retailer_import_queue(*, file, actor, now: datetime | None = None):
    """Keep the uploaded file and queue its import (`retailer_import_run` in the worker)."""
    with transaction.atomic():
        job = RetailerImport(
            name=(getattr(file, "name", "") or "import.xlsx")[:200],
            created_by=actor if actor is not None and actor.is_authenticated else None,
            created_at=now or timezone.now(),
        )
        job.file.save(f"retailers-{uuid.uuid4().hex}.xlsx", file, save=False)
        job.save()
        audit_record(actor=actor, action="retailer.import_queued", target=job)
        job_id = job.pk
        transaction.on_commit(lambda: retailer_import_task.enqueue(import_id=job_id))
    return job


# Between the preview and the import the file is kept server-side (portal/import_files.py).
KEPT_FOLDER = "retailers"
KEPT_SUFFIXES = (".xlsx",)


def retailer_import_keep(*, file) -> str:
    """Keep an uploaded file for the preview; returns the token the form and session carry."""
    return import_file_keep(file, folder=KEPT_FOLDER, suffix=".xlsx")


def retailer_import_kept(token: str):
    """The path of a kept file, or None (a bad token, or a file already imported or swept)."""
    return import_file_kept(token, folder=KEPT_FOLDER, suffixes=KEPT_SUFFIXES)


def retailer_import_forget(token: str) -> None:
    import_file_forget(token, folder=KEPT_FOLDER, suffixes=KEPT_SUFFIXES)


def retailer_import_queue_kept(*, token: str, name: str, actor):
    """Queue the import of the file kept at the preview, and forget the kept copy (the import
    keeps its own). Refusal when it is gone."""
    path = retailer_import_kept(token)
    if path is None:
        raise Refusal(_("The previewed file has expired; upload it again."))
    with open(path, "rb") as handle:
        job = retailer_import_queue(file=File(handle, name=name or "import.xlsx"), actor=actor)
    retailer_import_forget(token)
    return job


TEMPLATE_COLUMNS = (
    "licence_number",
    "store_name",
    "legal_representative",
    "address",
    "region",
    "route",
    "order_day",
    "settlement",
    "credit_limit",
    "account_manager",
)


def retailer_import_template() -> bytes:
    """An .xlsx to fill in: the Chinese headings of the usual columns with an example row, and
    a second sheet listing every column the import reads (Chinese heading, English code)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    route = DeliveryRoute.objects.order_by("code").values_list("code", flat=True).first()
    example = {
        "licence_number": "330106100001",
        "store_name": "西湖便民超市",
        "legal_representative": "王芳",
        "address": "西湖区文三路 88 号",
        "region": "西湖区",
        "route": route or "",
        "order_day": 2,
        "settlement": "现结",
        "credit_limit": 0,
        "account_manager": "",
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("retailer", "Retailers")[:31]
    sheet.append([template_heading(name) for name in TEMPLATE_COLUMNS])
    sheet.append([example[name] for name in TEMPLATE_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Licence numbers are text: Excel would otherwise show 3.30106E+11.
    for row in sheet.iter_rows(min_row=2, max_col=1):
        for cell in row:
            cell.number_format = "@"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 16
    columns = workbook.create_sheet(pgettext("import template", "Columns")[:31])
    columns.append(
        [
            pgettext("import template", "Heading"),
            pgettext("import template", "Code"),
            _("Other headings"),
        ]
    )
    for cell in columns[1]:
        cell.font = Font(bold=True)
    for headings in COLUMNS.values():
        columns.append([headings[1], headings[0], "、".join(headings[2:])])
    columns.append([])
    columns.append([_("Order day: 1 (Monday) to 7 (Sunday), or 星期一 … 星期日.")])
    columns.append([_("Settlement: 现结 (cash) or 赊销 (credit).")])
    columns.append([_("Account manager: the employee number.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MAX_REPORTED_PROBLEMS = 200


def retailer_import_run(*, import_id: int, now: datetime | None = None):
    """Run a queued import: parse the file, check every row and save all of them or none, and
    record the result on the import. Safe to run again (a retried task): a finished import is
    left alone, and one interrupted half-way was rolled back whole, so it simply runs again;
    saving the same file twice changes nothing the second time."""
    now = now or timezone.now()
    RetailerImport.objects.filter(pk=import_id, status=RetailerImport.Status.QUEUED).update(
        status=RetailerImport.Status.RUNNING, started_at=now
    )
    with transaction.atomic():
        job = RetailerImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or not job.is_pending:
            return job
        unreadable = None
        try:
            with job.file.open("rb") as handle:
                parsed = retailer_rows_from_excel(handle, max_rows=IMPORT_QUEUED_MAX_ROWS)
        except Refusal as refused:
            unreadable = refused.message
        except OSError:
            unreadable = _("The file could not be read.")
        if unreadable is not None:
            job.problems = [{"line": None, "licence_number": "", "errors": [unreadable]}]
            rows = []
        else:
            rows = retailers_import(rows=parsed, actor=job.created_by, apply=True)
            job.problems = [
                {"line": row.line, "licence_number": row.licence_number, "errors": row.errors}
                for row in rows
                if row.action == "error"
            ][:MAX_REPORTED_PROBLEMS]
        job.total_rows = len(rows)
        failed = bool(job.problems)
        job.created_count = 0 if failed else sum(row.action == "create" for row in rows)
        job.updated_count = 0 if failed else sum(row.action == "update" for row in rows)
        job.status = RetailerImport.Status.FAILED if failed else RetailerImport.Status.DONE
        job.finished_at = timezone.now()
        job.save()
    return job
