"""`portal.figures.money_writer` writes what `portal.figures.money_text` writes, in English and
in Chinese (whose figures the factory groups by thousands too)."""

from decimal import Decimal

import pytest
from django.utils import translation

from portal.figures import money_text, money_writer

VALUES = [
    Decimal("0"),
    Decimal("-0"),
    Decimal("-0.001"),
    Decimal("0.004"),
    Decimal("0.005"),
    Decimal("0.015"),
    Decimal("850"),
    Decimal("1260.5"),
    Decimal("-1234.5"),
    Decimal("999.999"),
    Decimal("1234567.895"),
    Decimal("1E+3"),
    Decimal("123456789012.34"),
    0,
    12,
    -3,
    1234567,
    1.5,
    None,
    "",
    True,
    "12.5",
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_money_writer_writes_what_money_text_writes(language):
    with translation.override(language):
        money = money_writer()
        for value in VALUES:
            assert money(value) == money_text(value), value
        # Asked again (the writer remembers what it wrote), the same.
        for value in VALUES:
            assert money(value) == money_text(value), value
