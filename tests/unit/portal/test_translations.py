"""The Simplified Chinese catalogues (one per app) are complete and their compiled forms current.

`makemessages` runs over a copy of the source, so a string added to the code without a
translation fails here, not in front of a user, and the tree itself is never rewritten.
"""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

IGNORED = [".venv", "var", "bench", "tests", "node_modules", ".git", "*/locale"]


def catalogue_of(root, app):
    return root / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def incomplete(po):
    return [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]


def test_every_string_in_the_source_has_a_chinese_translation(tmp_path, settings, monkeypatch):
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed for this check: `bash .ci/system-deps` installs it.")
    copy = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__"),
    )
    settings.LOCALE_PATHS = [copy / app / "locale" for app in settings.TRANSLATED_APPS]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages", locale=["zh_Hans"], no_obsolete=True, ignore_patterns=IGNORED, verbosity=0
    )
    untranslated = {
        app: incomplete(polib.pofile(str(catalogue_of(copy, app))))
        for app in settings.TRANSLATED_APPS
    }
    assert {app: msgids for app, msgids in untranslated.items() if msgids} == {}


@pytest.mark.parametrize("app", settings.TRANSLATED_APPS)
def test_the_committed_catalogue_is_complete_and_compiled(app):
    catalogue = catalogue_of(settings.BASE_DIR, app)
    po = polib.pofile(str(catalogue))
    assert incomplete(po) == []
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.mofile(str(catalogue.with_suffix(".mo")))
    }
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


@pytest.mark.parametrize(
    ("context", "msgid", "expected"),
    [
        (None, "No", "否"),
        ("helpful vote", "No", "没帮助"),
        (None, "Yes", "是"),
        ("helpful vote", "Yes", "有帮助"),
        ("feedback", "Number", "编号"),
        ("value kind", "Number", "数字"),
        ("report", "New", "新"),
        ("product status", "New", "新品"),
        ("employee", "Active", "在职"),
        ("account", "Active", "启用"),
        ("business status", "Closed", "歇业"),
        ("topic", "Closed", "已结束"),
        ("complaint", "Effective", "有效"),
        ("in force from", "Effective", "生效"),
        ("feedback", "History", "处理记录"),
        ("report circulation", "History", "流转记录"),
    ],
)
def test_a_short_word_reads_right_in_each_of_its_meanings(context, msgid, expected):
    """Django merges every app's catalogue into one table: a word with two meanings keeps
    them apart by context, or one app's translation lands on every page."""
    from django.utils import translation

    with translation.override("zh-hans"):
        if context is None:
            assert translation.gettext(msgid) == expected
        else:
            assert translation.pgettext(context, msgid) == expected
