"""The Simplified Chinese catalogue is complete and its compiled form is current.

`makemessages` runs over the source into a copy of the catalogue, so a string added to the code
without a translation fails here, not in front of a user.
"""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = settings.BASE_DIR / "portal" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")


def incomplete(po):
    return [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]


def test_every_string_in_the_source_has_a_chinese_translation(tmp_path, settings, monkeypatch):
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed for this check: `bash .ci/system-deps` installs it.")
    locale = tmp_path / "locale"
    shutil.copytree(CATALOGUE.parent.parent.parent, locale)
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(settings.BASE_DIR)
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        no_obsolete=True,
        ignore_patterns=[".venv", "var", "bench", "tests", "node_modules", "portal/locale"],
        verbosity=0,
    )
    refreshed = polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert incomplete(refreshed) == []


def test_the_committed_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(CATALOGUE))
    assert incomplete(po) == []
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.mofile(str(COMPILED))}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid
