"""Every translatable string in the project's Python is one `makemessages` can find.

GNU xgettext does not read inside an f-string's replacement fields: a `gettext("…")` written
there is translated at run time only while an older catalogue still holds the msgid, and the
next `make messages` silently drops it (the page then shows English in Chinese). This test walks
the syntax tree of every module of the project's apps and fails on a gettext-family call nested
in an f-string; hoist the call into a variable first.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APPS = ("portal", "bulletins", "forum", "knowledge", "documents", "extranet")
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def gettext_calls_in_fstrings(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and _called_name(inner) in GETTEXT_NAMES:
                found.append((inner.lineno, _called_name(inner)))
    return found


def test_the_check_finds_a_call_inside_an_fstring():
    assert gettext_calls_in_fstrings("x = f\"<p>{_('Total')}</p>\"") == [(1, "_")]
    assert gettext_calls_in_fstrings("x = f\"{text(pgettext('a', 'b'))}\"") == [(1, "pgettext")]
    assert gettext_calls_in_fstrings('label = _("Total")\nx = f"<p>{label}</p>"') == []


def test_no_translatable_string_is_written_inside_an_fstring():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, name in gettext_calls_in_fstrings(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line} {name}()")
    assert offenders == []
