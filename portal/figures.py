"""Figures as staff read them, in one place: money as ¥147,260.01, counts as 12,345 and plain
numbers without needless decimals (0–200, 12.5). Grouped by the active language's format
(portal/formats for Chinese), for pages; `EXCEL_FORMATS` gives the same shapes to Excel cells,
whose values stay numbers."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils import formats

CURRENCY = "¥"

# Column kinds of a table → the number format of its Excel cells.
EXCEL_FORMATS = {
    "money": '"¥"#,##0.00',
    "count": "#,##0",
    "number": "#,##0.00",
    "score": "0.0000",
    "percent": "0.0",
}


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money_text(value) -> str:
    """¥147,260.01; "" for no value. A negative amount reads -¥12.00."""
    amount = _decimal(value)
    if amount is None:
        return ""
    text = formats.number_format(
        abs(amount).quantize(Decimal("0.01")), decimal_pos=2, use_l10n=True, force_grouping=True
    )
    return f"-{CURRENCY}{text}" if amount < 0 else f"{CURRENCY}{text}"


def count_text(value) -> str:
    """12,345 (a whole number); "" for no value."""
    number = _decimal(value)
    if number is None:
        return ""
    return formats.number_format(
        number.quantize(Decimal("1")), decimal_pos=0, use_l10n=True, force_grouping=True
    )


def number_text(value, places: int = 2) -> str:
    """At most `places` decimals and none that are needless: 200.00 → 200, 12.50 → 12.5,
    147260.010000000 → 147,260.01."""
    number = _decimal(value)
    if number is None:
        return ""
    number = number.quantize(Decimal(1).scaleb(-places)).normalize()
    decimals = max(0, -number.as_tuple().exponent)
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


PLACES = {"number": 2, "score": 4, "percent": 1}


def figure_text(value, kind: str = "") -> str:
    """A table cell by its column's kind ("money", "count", "number", "score", "percent"); a
    value that is not a number (a label, None) is returned as it is. Without a kind, whole
    numbers read as counts and other numbers as plain numbers."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if kind == "money":
        return money_text(value)
    if kind == "count":
        return count_text(value)
    if kind in PLACES:
        return number_text(value, PLACES[kind])
    if isinstance(value, int):
        return count_text(value)
    return number_text(value)


# `money_writer`: for pages with a column of money (issue 18). `money_text` looks up the
# language's separators and grouping and groups the digits one by one for every value, which on
# a page of fifty orders or twenty products cost more than the rest of their rows; the writer
# reads the active language's formats once and groups with Python's own formatting; any
# grouping but the factory's thousands falls back to `money_text` itself.
_CENT = Decimal("0.01")


def money_writer() -> Callable[[object], str]:
    """A function giving `money_text(value)` in the active language."""
    grouping = formats.get_format("NUMBER_GROUPING", use_l10n=True)
    thousands = formats.get_format("THOUSAND_SEPARATOR", use_l10n=True)
    decimal = formats.get_format("DECIMAL_SEPARATOR", use_l10n=True)
    if grouping != 3:
        return money_text
    separators = (
        None
        if (thousands, decimal) == (",", ".")
        else str.maketrans({",": thousands, ".": decimal})
    )
    written = {}

    def money(value) -> str:
        if value is None or value == "" or isinstance(value, bool):
            return ""
        if value in written:
            return written[value]
        if isinstance(value, Decimal | int):
            amount = Decimal(value)
        else:
            return money_text(value)
        if not amount.is_finite():
            return money_text(value)
        figure = f"{abs(amount).quantize(_CENT):,f}"
        if separators is not None:
            figure = figure.translate(separators)
        result = f"-{CURRENCY}{figure}" if amount < 0 else f"{CURRENCY}{figure}"
        written[value] = result
        return result

    return money
