"""The filter forms of the sales pages written once per distinct input (issue 18): a form's
`as_p` renders some ten templates per field, the same HTML every time the same values come.

Only for forms whose fields, choices and widgets depend on nothing but the code and which
fields the form has (no choices read from the database): the HTML is then a function of the
form's class and fields, the values it shows, the language, the time zone and the URL
configuration, and is kept in the process under those. A form with errors is rendered anew
(an error may depend on the database, e.g. an unknown route code)."""

from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString

# Filters come from query strings anyone may write: the memory is bounded, and forgotten
# whole when full (the common values come back at once).
_MOST_KEPT = 512
_rendered: dict[tuple, SafeString] = {}


def _shown(value):
    return tuple(value) if isinstance(value, list) else value


def form_as_p(form) -> SafeString:
    """`form.as_p()`, written once per distinct key (see the module)."""
    if form.errors:
        return form.as_p()
    key = (
        type(form),
        form.prefix,
        form.is_bound,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_urlconf(),
        get_script_prefix(),
        tuple((bound.name, type(bound.field), _shown(bound.value())) for bound in form),
    )
    html = _rendered.get(key)
    if html is None:
        html = form.as_p()
        if len(_rendered) >= _MOST_KEPT:
            _rendered.clear()
        _rendered[key] = html
    return html
