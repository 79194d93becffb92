"""Reading an employee sheet (Excel or CSV) and checking every row before anything is created.

The uploaded file is kept under MEDIA_ROOT/imports/ with a random token between the preview
and the confirmation, so that what is confirmed is exactly what was previewed.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.models import Department, Employee, Position, User
from portal.refusals import Refusal

# Column headings accepted, in English or Chinese → the field they fill.
COLUMNS = {
    "employee_number": "employee_number",
    "employee number": "employee_number",
    "工号": "employee_number",
    "name": "name",
    "姓名": "name",
    "department": "department",
    "部门": "department",
    "position": "position",
    "职位": "position",
    "职务": "position",
    "email": "email",
    "邮箱": "email",
    "电子邮件": "email",
    "phone": "phone",
    "电话": "phone",
    "手机": "phone",
    "extension": "extension",
    "分机": "extension",
    "office": "office",
    "办公室": "office",
}
REQUIRED = ("employee_number", "name", "department", "email")
SUFFIXES = (".xlsx", ".csv")


class SheetError(Refusal):
    """The sheet as a whole cannot be read (wrong type, no heading, too large)."""


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    department: Department | None = None
    position: Position | None = None


def _imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_file_store(uploaded) -> str:
    """Keep the uploaded sheet server-side; returns the token naming it."""
    suffix = Path(uploaded.name).suffix.lower()
    if suffix not in SUFFIXES:
        raise SheetError(_("Upload an Excel (.xlsx) or CSV file."))
    if uploaded.size > settings.DIRECTORY_IMPORT_MAX_BYTES:
        raise SheetError(_("The file is too large."))
    token = secrets.token_urlsafe(16) + suffix
    with open(_imports_dir() / token, "wb") as target:
        for chunk in uploaded.chunks():
            target.write(chunk)
    return token


def import_file_path(token: str) -> Path | None:
    if "/" in token or "\\" in token or token.startswith(".") or not token.endswith(SUFFIXES):
        return None
    path = _imports_dir() / token
    return path if path.is_file() else None


def import_file_discard(token: str) -> None:
    path = import_file_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _raw_rows(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SheetError(_("The CSV file is neither UTF-8 nor GB18030 text."))
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError(_("The file is not a readable Excel workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(["" if cell is None else _cell_text(cell) for cell in row])
    workbook.close()
    return rows


def _cell_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def import_rows_check(token: str) -> list[ImportRow]:
    """Every data row of the sheet with its errors; nothing is written."""
    path = import_file_path(token)
    if path is None:
        raise SheetError(_("The uploaded file has expired; upload it again."))
    raw = [row for row in _raw_rows(path) if any(row)]
    if not raw:
        raise SheetError(_("The sheet is empty."))
    heading = [COLUMNS.get(cell.strip().lower()) for cell in raw[0]]
    missing = [name for name in REQUIRED if name not in heading]
    if missing:
        raise SheetError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    if len(raw) - 1 > settings.DIRECTORY_IMPORT_MAX_ROWS:
        raise SheetError(_("The sheet has too many rows."))
    departments = {}
    for department in Department.objects.all():
        departments[department.code.lower()] = department
        departments[department.name] = department
        if department.name_en:
            departments[department.name_en.lower()] = department
    positions = {}
    for position in Position.objects.all():
        positions[position.name] = position
        if position.name_en:
            positions[position.name_en.lower()] = position

    rows = []
    for line, cells in enumerate(raw[1:], start=2):
        values = dict.fromkeys(COLUMNS.values(), "")
        for name, cell in zip(heading, cells, strict=False):
            if name:
                values[name] = cell
        rows.append(ImportRow(line=line, values=values))
    numbers = [row.values["employee_number"] for row in rows]
    emails = [row.values["email"].lower() for row in rows]
    taken_numbers = {
        n.lower()
        for n in User.objects.filter(username__in=numbers).values_list("username", flat=True)
    } | {
        n.lower()
        for n in Employee.objects.filter(employee_number__in=numbers).values_list(
            "employee_number", flat=True
        )
    }
    taken_emails = {
        e.lower()
        for e in User.objects.filter(email__in=[e for e in emails if e]).values_list(
            "email", flat=True
        )
    }
    seen_numbers, seen_emails = set(), set()
    for row in rows:
        v = row.values
        for name in REQUIRED:
            if not v[name]:
                row.errors.append(_("%(column)s is missing.") % {"column": _column_label(name)})
        number = v["employee_number"]
        if number:
            if len(number) > 32 or not number.replace("-", "").isalnum():
                row.errors.append(_("The employee number may hold letters and digits only."))
            elif number.lower() in taken_numbers:
                row.errors.append(
                    _("Employee number %(number)s exists already.") % {"number": number}
                )
            elif number.lower() in seen_numbers:
                row.errors.append(
                    _("Employee number %(number)s is in the sheet twice.") % {"number": number}
                )
            seen_numbers.add(number.lower())
        if v["name"] and len(v["name"]) > 64:
            row.errors.append(_("The name is too long."))
        if v["department"]:
            row.department = departments.get(v["department"]) or departments.get(
                v["department"].lower()
            )
            if row.department is None:
                row.errors.append(
                    _("Unknown department: %(department)s.") % {"department": v["department"]}
                )
        if v["position"]:
            row.position = positions.get(v["position"]) or positions.get(v["position"].lower())
            if row.position is None:
                row.errors.append(
                    _("Unknown position: %(position)s.") % {"position": v["position"]}
                )
        email = v["email"].lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("The email address is not valid."))
            else:
                if email in taken_emails:
                    row.errors.append(
                        _("The email address %(email)s is in use.") % {"email": email}
                    )
                elif email in seen_emails:
                    row.errors.append(
                        _("The email address %(email)s is in the sheet twice.") % {"email": email}
                    )
            seen_emails.add(email)
        for name, limit in (("phone", 32), ("extension", 16), ("office", 64)):
            if len(v[name]) > limit:
                row.errors.append(_("%(column)s is too long.") % {"column": _column_label(name)})
    return rows


def _column_label(name: str) -> str:
    return {
        "employee_number": pgettext("directory", "Employee number"),
        "name": pgettext("directory", "Name"),
        "department": pgettext("directory", "Department"),
        "email": pgettext("directory", "Email"),
        "phone": pgettext("directory", "Phone"),
        "extension": pgettext("directory", "Extension"),
        "office": pgettext("directory", "Office"),
    }.get(name, name)


# The template's headings: the Chinese heading of each column, in this order.
TEMPLATE_HEADINGS = {
    "employee_number": "工号",
    "name": "姓名",
    "department": "部门",
    "email": "邮箱",
    "position": "职位",
    "phone": "电话",
    "extension": "分机",
    "office": "办公室",
}


def import_template() -> bytes:
    """An .xlsx to fill in: the Chinese headings (required ones first) and an example row with
    a department and position that exist, so the example itself would pass the check."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    department = Department.objects.order_by("code").values_list("name", flat=True).first()
    position = Position.objects.order_by("name").values_list("name", flat=True).first()
    example = {
        "employee_number": "E90001",
        "name": "王芳",
        "department": department or "",
        "email": "wangfang@example.com",
        "position": position or "",
        "phone": "13800000000",
        "extension": "8001",
        "office": "办公楼 301",
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("directory", "Employees")[:31]
    sheet.append(list(TEMPLATE_HEADINGS.values()))
    sheet.append([example[name] for name in TEMPLATE_HEADINGS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"  # employee numbers and phones are text
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
