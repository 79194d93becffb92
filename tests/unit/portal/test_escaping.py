"""`portal.escaping.text` writes what Django's `escape` writes, lazy translations included."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from portal.escaping import text


def test_text_is_djangos_escape():
    for value in ["<b>\"甲\" & '乙'</b>", mark_safe("<i>safe</i>"), 42, None, "", "烟叶"]:
        assert text(value) == escape(value)
    assert text(gettext_lazy("Search")) == escape(gettext_lazy("Search"))
    assert text(mark_safe("<i>")) == "&lt;i&gt;"  # escaped even when marked safe
