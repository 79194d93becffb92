"""Django's per-request language, time zone and URLconf live in plain thread-locals
(portal/thread_locals.py): cheaper to read, and still local to each request's thread."""

import threading
import zoneinfo

from asgiref.local import Local
from django.urls import base as urls
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


def test_the_portal_runs_with_thread_locals():
    for local in (trans_real._active, timezone._active, urls._urlconfs, urls._prefixes):
        assert isinstance(local, threading.local)


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
