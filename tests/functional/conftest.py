"""Headless Chromium for the browser tests, driven by Playwright against the live server.

The system Chromium (Debian's package) is used; Playwright never downloads a browser. Without it
the browser tests are skipped, unless REQUIRE_BROWSER=1 (CI), when they fail.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.functional.browsing import DESKTOP

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google and gets refused.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM.exists():
        reason = f"Chromium not installed at {CHROMIUM}"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path, django_db_setup):
    """Headless Chromium, started once the test database exists.

    While Playwright's sync API is started it keeps an asyncio loop running in this thread, so
    Django treats the thread as async: the ORM needs DJANGO_ALLOW_ASYNC_UNSAFE (set by the test
    settings), and asgiref hands out new connection objects, context-local ones. Those lack the
    copy of the freshly migrated database that the set-up kept on the old ones, which
    `serialized_rollback` restores between tests, so it is carried over.
    """
    assert os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"), "set by portal.settings.test"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    kept = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    for alias, contents in kept.items():
        connections[alias]._test_serialized_contents = contents
    chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser profile (no cookies) of a reader whose browser asks for Chinese."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="zh-CN", service_workers="block"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    path = Path(settings.BASE_DIR) / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
