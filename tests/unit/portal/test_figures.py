"""Figures as staff read them (portal/figures.py, {% load figures %}): money with ¥ and
thousands separators, counts grouped, no needless decimals — in Chinese as in English."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.figures import count_text, figure_text, money_text, number_text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_money_counts_and_plain_numbers(language):
    with translation.override(language):
        # SQLite's sum of decimals: Decimal("147260.010000000").
        assert money_text(Decimal("147260.010000000")) == "¥147,260.01"
        assert money_text(Decimal("-12")) == "-¥12.00"
        assert money_text(None) == ""
        assert count_text(1234567) == "1,234,567"
        assert number_text(Decimal("200.00")) == "200"
        assert number_text(Decimal("0.00")) == "0"
        assert number_text(Decimal("12.50")) == "12.5"
        assert number_text(Decimal("147260.010000000")) == "147,260.01"


def test_a_cell_is_formatted_by_its_columns_kind_and_text_stays_text():
    with translation.override("zh-hans"):
        assert figure_text(Decimal("4300.000000000"), "money") == "¥4,300.00"
        assert figure_text(Decimal("0.81234"), "score") == "0.8123"
        assert figure_text(45.27, "percent") == "45.3"
        assert figure_text(12000) == "12,000"
        assert figure_text("330102000001", "money") == "330102000001"
        assert figure_text(None, "money") is None


def test_template_filters():
    template = Template(
        "{% load figures %}{{ amount|money }} {{ n|count }} {{ bound|plain }} {{ s|plain:4 }}"
    )
    with translation.override("zh-hans"):
        text = template.render(
            Context(
                {
                    "amount": Decimal("147260.01"),
                    "n": 25000,
                    "bound": Decimal("200.00"),
                    "s": Decimal("0.5000"),
                }
            )
        )
    assert text == "¥147,260.01 25,000 200 0.5"
