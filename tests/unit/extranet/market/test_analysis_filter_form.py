"""The dashboards' filter form is rendered once per language, data, initial values and
regions: the cached HTML is the form's own `as_p()`, and a new region or other data shows up at
once."""

from datetime import date

from django.http import QueryDict
from django.utils import translation

from extranet.market.forms import AnalysisFilterForm


def test_filter_form_html_is_its_as_p_and_follows_the_regions():
    initial = {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}
    form = AnalysisFilterForm(initial=initial, regions=["上城区"])
    assert form.as_p_html() == form.as_p()
    again = AnalysisFilterForm(initial=initial, regions=["上城区", "西湖区"])
    assert 'value="西湖区"' in again.as_p_html()
    assert again.as_p_html() == again.as_p()


def test_filter_form_html_shows_the_data_and_errors_of_a_bound_form_in_its_language():
    data = QueryDict("start=2026-05-01&end=2026-04-01&region=")
    for language in ("en", "zh-hans"):
        with translation.override(language):
            form = AnalysisFilterForm(data, regions=["上城区"])
            assert not form.is_valid()
            assert form.as_p_html() == form.as_p()
    other = AnalysisFilterForm(QueryDict("start=2026-01-01"), regions=["上城区"])
    assert 'value="2026-01-01"' in other.as_p_html()
    assert "2026-05-01" not in other.as_p_html()
