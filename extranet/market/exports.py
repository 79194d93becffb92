"""Excel downloads of the market pages (report lists, dashboards, feedback)."""

import io
from decimal import Decimal

from django.http import HttpResponse

from portal.figures import EXCEL_FORMATS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """A figure as a number (a Decimal of SQLite's sums has needless digits); text made safe."""
    if isinstance(value, Decimal):
        return float(value)
    return _safe(value)


def _safe(value):
    """Text a spreadsheet would read as a formula stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def workbook_response(sheets, filename):
    """sheets: [(title, header, rows)] or [(title, header, rows, kinds)] → an .xlsx download,
    never cached. `kinds` names each column's figures ("money", "count", …, see
    portal/figures.py): their cells stay numbers, shown as ¥#,##0.00, #,##0 and so on."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows, *more in sheets:
        kinds = more[0] if more else []
        sheet = workbook.create_sheet((title or "-")[:31].replace("/", "-"))
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append([_cell(v) for v in row])
            for index, kind in enumerate(kinds):
                cell = sheet.cell(row=sheet.max_row, column=index + 1)
                if kind in EXCEL_FORMATS and isinstance(cell.value, int | float | Decimal):
                    cell.number_format = EXCEL_FORMATS[kind]
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
