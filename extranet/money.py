"""Money as `portal.figures.money_text` writes it (¥147,260.01), for pages with a column of it
(issue 18): `money_text` looks up the language's separators and grouping and groups the digits
one by one for every value, which on a page of fifty orders or twenty products cost more than
the rest of their rows. `money_writer()` reads the active language's formats once and groups
with Python's own formatting; any grouping but the factory's thousands falls back to
`money_text` itself.
"""

from collections.abc import Callable
from decimal import Decimal

from django.utils import formats

from portal.figures import CURRENCY, money_text

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
