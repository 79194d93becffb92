"""Django's per-request language, time zone and URLconf live in plain thread-locals
(portal/thread_locals.py): cheaper to read, and still local to each request's thread."""

import os
import subprocess
import sys
import threading
import zoneinfo

from asgiref.local import Local
from django.urls import get_urlconf, set_urlconf
from django.utils import timezone, translation
from django.utils.translation import trans_real

from portal import thread_locals


def in_other_thread(function):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(function()))
    thread.start()
    thread.join()
    return seen[0]


def test_the_portal_runs_with_thread_locals(settings):
    """Checked in a process of its own: a test that changes LANGUAGE_CODE makes Django's test
    signals put an asgiref Local back into this one."""
    check = (
        "import django; django.setup()\n"
        "import threading\n"
        "from django.urls import base\n"
        "from django.utils import timezone\n"
        "from django.utils.translation import trans_real\n"
        "locals_ = (trans_real._active, timezone._active, base._urlconfs, base._prefixes)\n"
        "assert all(isinstance(local, threading.local) for local in locals_), locals_\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_each_thread_keeps_its_own_language_time_zone_and_urlconf(settings):
    other = "en" if settings.LANGUAGE_CODE != "en" else "zh-hans"
    with translation.override(other), timezone.override("Pacific/Auckland"):
        set_urlconf("portal.urls_extranet")
        try:
            assert in_other_thread(translation.get_language) == settings.LANGUAGE_CODE
            zone = in_other_thread(timezone.get_current_timezone)
            assert zone.key == settings.TIME_ZONE
            assert in_other_thread(get_urlconf) is None
            assert translation.get_language() == other
            assert timezone.get_current_timezone() == zoneinfo.ZoneInfo("Pacific/Auckland")
            assert get_urlconf() == "portal.urls_extranet"
        finally:
            set_urlconf(None)
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert get_urlconf() is None


def test_install_keeps_the_threads_values_and_can_be_turned_off(monkeypatch, settings):
    old = Local()
    old.value = trans_real.translation("zh-hans")
    monkeypatch.setattr(trans_real, "_active", old)
    settings.PORTAL_SYNC_LOCALS = False
    thread_locals.install()
    assert trans_real._active is old
    settings.PORTAL_SYNC_LOCALS = True
    thread_locals.install()
    assert isinstance(trans_real._active, threading.local)
    assert translation.get_language() == "zh-hans"
