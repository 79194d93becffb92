"""The Content-Security-Policy, enforced, in the browser: no page of either face breaks it.

Every HTML page of the access matrix (tests/integration/access_rows) that some role may open is
opened in Chromium as that role, with the policy the portal sends (enforced, not report-only);
the browser's `securitypolicyviolation` events and its console's CSP errors are collected and
must be none. Wagtail's admin pages are opened too, under their own relaxed policy (portal/csp.py).
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.access import OK
from tests.conftest import ROLE_KEYS, make_role_user, set_face
from tests.integration.access_rows import MATRIX

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Records violations from the first byte of every document, before any page script runs.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `(${event.sourceFile || location.pathname}:${event.lineNumber})`
  );
});
"""

ADMIN_PAGES = ["/admin/", "/admin/pages/", "/admin/users/", "/admin/documents/", "/admin/images/"]


def html_pages(face):
    """(role, url) of every HTML page of the face's access matrix that some role may open."""
    users = {key: make_role_user(key) for key in ROLE_KEYS}
    pages = []
    for route, (url, outcomes) in MATRIX[face].items():
        role = next((key for key in ROLE_KEYS if outcomes.get(key) == OK), None)
        if role is None:
            continue
        target = url() if callable(url) else url
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.get(target)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((route, users[role], target))
    return pages


def browse(browser, live_server, user, urls):
    """Open each URL as `user`; returns {url: [violations and console CSP errors]}."""
    context = browser.new_context(base_url=live_server.url, service_workers="block")
    context.add_init_script(COLLECT_VIOLATIONS)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    found = {}
    try:
        for url in urls:
            console.clear()
            response = page.goto(url, wait_until="load")
            assert response is not None and response.ok, url
            policy = response.headers.get("content-security-policy", "")
            assert "default-src 'self'" in policy, f"{url}: no policy header"
            assert "content-security-policy-report-only" not in response.headers
            problems = page.evaluate("window.__cspViolations") + console
            if problems:
                found[url] = problems
    finally:
        context.close()
    return found


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_no_page_breaks_the_policy(browser, live_server, settings, face):
    set_face(settings, face)
    pages = html_pages(face)
    assert len(pages) > 20, pages
    by_user = {}
    for _route, user, url in pages:
        by_user.setdefault(user, []).append(url)
    if face == "intranet":
        superuser = next(user for user in by_user if user is not None and user.is_superuser)
        by_user[superuser] = by_user[superuser] + ADMIN_PAGES
    found = {}
    for user, urls in by_user.items():
        found.update(browse(browser, live_server, user, urls))
    assert found == {}


def test_the_policy_is_enforced_and_violations_are_seen(browser, live_server, intranet):
    """The collector above is not blind: a style attribute written into a page is refused by
    the browser (the policy is enforced) and reported."""
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    page.goto("/accounts/login/")
    colour = page.evaluate(
        """() => {
            document.body.insertAdjacentHTML(
                "beforeend", '<p id="probe" style="color: rgb(255, 0, 0)">x</p>'
            );
            return getComputedStyle(document.getElementById("probe")).color;
        }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert colour != "rgb(255, 0, 0)"
    assert any("style-src" in entry for entry in page.evaluate("window.__cspViolations"))
    context.close()


def test_confirmations_work_without_inline_script(browser, live_server, intranet):
    """portal.js (no inline handler): a form[data-confirm] asks first and is not sent when the
    person says no; it is sent when they say yes."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const form = document.createElement("form");
            form.action = "/accounts/password/reset/";
            form.dataset.confirm = "Really?";
            const button = document.createElement("button");
            button.id = "probe";
            form.appendChild(button);
            document.body.appendChild(form);
        }"""
    )
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#probe")
    assert asked == ["Really?"]
    assert page.url.endswith("/accounts/login/")

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#probe")
    assert "/accounts/password/reset/" in page.url
    context.close()
