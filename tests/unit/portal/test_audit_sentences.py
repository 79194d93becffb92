"""Every audit code written anywhere in the source has a sentence (portal/audit.py), in English
and Chinese, with the same placeholders in both.

The codes are read from the source with `ast`: the `action` of every `audit_record(...)` call
(a literal, a conditional between literals, a literal dict indexed by a key, or a local name
assigned such values), and the module-level constants named `*_AUDIT_ACTION` (codes written in
SQL). A code built any other way (an f-string, a parameter) fails here: spell it out, so that
whoever adds a code also gives it a sentence.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from portal import audit

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["portal", "extranet", "bulletins", "forum", "knowledge", "documents"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Unresolved(Exception):
    pass


def _module_dicts(tree) -> dict[str, ast.Dict]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
    return found


def _codes_of(expression, *, function, dicts) -> set[str]:
    """The literal codes an `action=` expression can take."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _codes_of(expression.body, function=function, dicts=dicts) | _codes_of(
            expression.orelse, function=function, dicts=dicts
        )
    if isinstance(expression, ast.Subscript):
        mapping = expression.value
        if isinstance(mapping, ast.Name) and mapping.id in dicts:
            mapping = dicts[mapping.id]
        if isinstance(mapping, ast.Dict):
            codes = set()
            for value in mapping.values:
                codes |= _codes_of(value, function=function, dicts=dicts)
            return codes
    if isinstance(expression, ast.Name) and function is not None:
        assigned = [
            node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == expression.id for t in node.targets)
        ]
        if assigned:
            codes = set()
            for value in assigned:
                codes |= _codes_of(value, function=function, dicts=dicts)
            return codes
    raise Unresolved(ast.unparse(expression))


def _enclosing_functions(tree):
    """Each node → the innermost function around it."""
    owner = {}

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            owner[child] = function
            visit(child, inner)

    visit(tree, None)
    return owner


def codes_in_source():
    """(code, where) for every audit code written in the application source, and the calls
    whose code cannot be read."""
    codes, unresolved = [], []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            dicts = _module_dicts(tree)
            owner = _enclosing_functions(tree)
            where = path.relative_to(ROOT)
            for node in tree.body:
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                    for target in node.targets:
                        if isinstance(target, ast.Name) and target.id.endswith("_AUDIT_ACTION"):
                            codes.append((node.value.value, f"{where}:{node.lineno}"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name != "audit_record":
                    continue
                action = next((k.value for k in node.keywords if k.arg == "action"), None)
                if action is None:
                    continue
                try:
                    found = _codes_of(action, function=owner.get(node), dicts=dicts)
                except Unresolved as error:
                    unresolved.append(f"{where}:{node.lineno}: {error}")
                    continue
                codes.extend((code, f"{where}:{node.lineno}") for code in found)
    return codes, unresolved


def test_the_scan_finds_the_codes_of_every_kind_of_call():
    codes, _unresolved = codes_in_source()
    found = {code for code, _where in codes}
    # A literal, a conditional, a dict indexed by a key, a local name, a constant for SQL.
    assert {
        "user.password_issued",
        "document.access_granted",
        "document.access_revoked",
        "report.returned_to_drafter",
        "extranet.survey_unpublish",
        "role.revoked",
        "user.superuser_granted",
        "order.placed",
    } <= found
    assert len(found) > 60


def test_every_audit_code_in_the_source_is_spelt_out():
    _codes, unresolved = codes_in_source()
    assert unresolved == [], "write these audit codes as literals: " + "; ".join(unresolved)


def test_every_audit_code_in_the_source_has_a_sentence():
    codes, _unresolved = codes_in_source()
    missing = sorted(f"{code} ({where})" for code, where in codes if code not in audit.REGISTRY)
    assert missing == [], "declare these codes in the app's audit.py: " + ", ".join(missing)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_sentence_keeps_its_placeholders_and_reads_in_the_language(language):
    for code, action in audit.REGISTRY.items():
        with translation.override("en"):
            english = PLACEHOLDER.findall(str(action.sentence))
        with translation.override(language):
            sentence = str(action.sentence)
            assert sorted(PLACEHOLDER.findall(sentence)) == sorted(english), code
            assert "actor" in english, f"{code}: a sentence names who did it"
            values = dict.fromkeys(english, "X")
            assert sentence % values
            if language == "zh-hans":
                # Translated: the sentence and the label hold Chinese, not the English words.
                assert re.search(r"[\u4e00-\u9fff]", sentence), code
                assert re.search(r"[\u4e00-\u9fff]", str(action.label)), code


def test_every_label_is_distinct_so_the_filter_can_tell_actions_apart():
    for language in ("en", "zh-hans"):
        with translation.override(language):
            labels = [label for _code, label in audit.choices()]
            assert len(labels) == len(set(labels)), language
