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


def test_the_board_filter_is_rendered_once_per_language_until_a_filter_is_chosen():
    from django.utils import translation

    from bulletins.forms import BOARD_FILTER_TEMPLATE, BoardFilterForm, board_filter_fields

    def rendered(form):
        from django.template.loader import render_to_string

        return render_to_string(BOARD_FILTER_TEMPLATE, {"filter_form": form})

    for language in ("zh-hans", "en"):
        with translation.override(language):
            blank = board_filter_fields(BoardFilterForm(None))
            assert blank == rendered(BoardFilterForm(None))
            # Another page of the list is the same blank filter.
            assert board_filter_fields(BoardFilterForm({"page": "2"})) == blank
            assert board_filter_fields(BoardFilterForm({"page": "2"})) == rendered(
                BoardFilterForm({"page": "2"})
            )
    with translation.override("en"):
        chosen = BoardFilterForm({"q": "安全", "month": "3"})
        chosen.is_valid()
        html = board_filter_fields(chosen)
        assert 'value="安全"' in html
        assert '<option value="3" selected>' in html
        assert "Choose a year to filter by month." in html
