"""Directory exports: vCard 3.0 (RFC 2426) for address books, CSV and Excel for spreadsheets."""

import csv
import io

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

VCARD_CONTENT_TYPE = "text/vcard; charset=utf-8"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _escape(value: str) -> str:
    """Text value escaping of RFC 2426 §4: backslash, comma, semicolon, newline."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 2425 §5.8.1), never inside a character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def vcard_of(employee) -> str:
    """One person as a vCard 3.0. The family name is the first character of a Chinese name
    (the first two for a compound surname are not distinguished: N keeps the whole name in FN)."""
    name = employee.name
    family, given = (name[:1], name[1:]) if name and not name.isascii() else ("", name)
    if name.isascii() and " " in name:
        given, family = name.rsplit(" ", 1)
    department = employee.department
    organisation = settings.DIRECTORY_ORGANISATION_NAME
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_escape(name)}",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"ORG:{_escape(organisation)};{_escape(department.name)}",
    ]
    if employee.name_pinyin:
        lines.append(f"NICKNAME:{_escape(employee.name_pinyin)}")
    if employee.position:
        lines.append(f"TITLE:{_escape(employee.position.name)}")
    if employee.user.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{_escape(employee.user.email)}")
    if employee.phone:
        lines.append(f"TEL;TYPE=CELL:{_escape(employee.phone)}")
    if employee.extension:
        lines.append(f"TEL;TYPE=WORK,VOICE:{_escape(employee.extension)}")
    if employee.office:
        lines.append(f"ADR;TYPE=WORK:;;{_escape(employee.office)};;;;")
    lines.append(f"UID:urn:portal:employee:{employee.employee_number}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def vcards_of(people) -> str:
    return "".join(vcard_of(person) for person in people)


def _rows(people):
    yield [
        pgettext("directory", "Name"),
        _("Pinyin"),
        pgettext("directory", "Employee number"),
        pgettext("directory", "Department"),
        pgettext("directory", "Position"),
        pgettext("directory", "Email"),
        pgettext("directory", "Phone"),
        pgettext("directory", "Extension"),
        pgettext("directory", "Office"),
    ]
    for person in people:
        yield [
            person.name,
            person.name_pinyin,
            person.employee_number,
            person.department.display_name,
            person.position.display_name if person.position else "",
            person.user.email,
            person.phone,
            person.extension,
            person.office,
        ]


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet (CSV injection).
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def csv_of(people) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _rows(people):
        writer.writerow([_safe_cell(str(cell)) for cell in row])
    # With a byte-order mark, so that Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_of(people) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(pgettext("directory", "Directory"))
    for row in _rows(people):
        sheet.append([_safe_cell(str(cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
