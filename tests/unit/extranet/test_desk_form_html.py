"""Filter forms written once per distinct input give what `as_p` gives, in each language."""

from django.utils import translation

from extranet.desk import form_html
from extranet.feedback.forms import FeedbackFilterForm
from extranet.ordering.forms import OrderFilterForm


def test_a_kept_form_is_the_form_as_p_for_each_input_and_language():
    form_html._rendered.clear()
    inputs = [None, {"overdue": "on"}, {"status": "open", "kind": "complaint"}, {"overdue": ""}]
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            for data in inputs:
                form = FeedbackFilterForm(data)
                form.is_valid()
                expected = FeedbackFilterForm(data).as_p()
                assert form_html.form_as_p(form) == expected
                assert form_html.form_as_p(form) == expected
    with translation.override("zh-hans"):
        chinese = form_html.form_as_p(FeedbackFilterForm())
    with translation.override("en"):
        assert form_html.form_as_p(FeedbackFilterForm()) != chinese


def test_a_form_with_errors_is_rendered_anew_and_not_kept():
    form_html._rendered.clear()
    with translation.override("en"):
        form = OrderFilterForm({"cycle": "not a day", "status": "nonsense"})
        assert not form.is_valid()
        assert form_html.form_as_p(form) == form.as_p()
        assert "errorlist" in form_html.form_as_p(form)
    assert form_html._rendered == {}


def test_the_kept_forms_are_bounded():
    form_html._rendered.clear()
    with translation.override("en"):
        for number in range(form_html._MOST_KEPT + 10):
            form_html.form_as_p(FeedbackFilterForm(prefix=f"f{number}"))
    assert 0 < len(form_html._rendered) <= form_html._MOST_KEPT
