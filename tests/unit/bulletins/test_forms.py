"""The board's filter form: bad input is a message, never an error page."""

from bulletins.forms import BoardFilterForm


def test_a_month_needs_a_year():
    form = BoardFilterForm({"month": "3"})
    assert not form.is_valid()
    assert "year" in form.errors


def test_a_year_out_of_range_is_refused():
    assert not BoardFilterForm({"year": "99999"}).is_valid()
    assert not BoardFilterForm({"year": "abc"}).is_valid()


def test_words_are_trimmed():
    form = BoardFilterForm({"q": "  原料  ", "year": "2026", "month": "4", "archive": "on"})
    assert form.is_valid()
    assert form.cleaned_data == {"q": "原料", "year": 2026, "month": 4, "archive": True}
