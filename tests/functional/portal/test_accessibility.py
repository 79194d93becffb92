"""Accessibility of every main page of both faces, in the browser, with axe-core.

Every HTML page of the access matrix (tests/integration/access_rows, and the Wagtail admin pages
people use) that some role may open is opened in Chromium as the role that uses it, with
demo-like data made by the factories so that lists are not empty. axe-core (4.x, its default
rules, bundled by axe-playwright-python: nothing is downloaded) checks each page with every
<details> opened, at 1280 and at 375 px, and a few forms are checked again showing their
validation errors; a critical or serious violation at either width fails the sweep. The same
sweep saves a screenshot of every page at 375 and 1280 px under var/screenshots/ and checks
that no page scrolls sideways on a phone.

One browser, one context per role; pages are opened once, at phone width first (screenshot,
overflow) then at desktop width (screenshot), then checked by axe at both widths.
"""

import functools
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.access import OK
from tests.conftest import make_role_user, set_face, sign_in
from tests.functional.browsing import DESKTOP, PHONE, has_no_horizontal_scroll
from tests.integration.access_rows import MATRIX
from tests.integration.test_access_matrix import ADMIN_ROWS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Who uses a page: the first of these roles the access matrix lets in. Everyone's pages are
# seen as a plain employee (or a retailer); a role's own pages as that role.
USERS_IN_ORDER = [
    "retailer",
    "employee",
    "department_head",
    "account_manager",
    "sales_administrator",
    "knowledge_editor",
    "document_manager",
    "forum_moderator",
    "identity_auditor",
    "superuser",
    "anonymous",
]

SERIOUS = {"critical", "serious"}

# Opens every disclosure (menus, filters, folded sections) so that axe sees what they hide.
OPEN_DETAILS = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"

# Forms checked again after being sent empty (the browser's own checks switched off), so that
# their validation errors are on the page: face → [(role, url or a function of the made data,
# the button that sends the form)].
FORMS_WITH_ERRORS = {
    "intranet": [
        ("anonymous", "/accounts/login/", "main form.stacked button[type=submit]"),
        ("employee", "/accounts/password/change/", "main form button[type=submit]"),
        ("department_head", "/notices/new/", "main form button[type=submit]"),
        ("employee", "/knowledge/contribute/", "main form button[type=submit]"),
        ("sales_administrator", "/sales/surveys/new/", "main form button[type=submit]"),
    ],
    "extranet": [
        ("anonymous", "/accounts/login/", "main form.stacked button[type=submit]"),
        ("retailer", "/shop/feedback/new/", "main form button[type=submit]"),
        ("retailer", "/shop/market/new/", "main form button[type=submit]"),
        (
            "retailer",
            lambda made: f"/shop/surveys/{made['survey'].pk}/",
            "main form button[name=submit]",
        ),
    ],
}
ERRORS_SHOWN = ".errorlist, .form-errors, .message-error"


def furnish(users):
    """Demo-like data around the role users, so that their lists and inboxes are not empty.
    Returns the objects some checks need."""
    from datetime import timedelta

    from django.utils import timezone

    from bulletins.models import Board
    from documents.models import CircularReport
    from extranet.surveys.models import Question
    from tests.factories import bulletins, documents, extranet, forum, knowledge, market, notices
    from tests.factories.surveys import QuestionFactory, SurveyFactory

    employee = users["employee"].employee
    head = users["department_head"].employee
    head.department.head = head
    head.department.save()

    for number in range(3):
        notice = bulletins.NoticeFactory(board=bulletins.channel(), must_acknowledge=number == 0)
    bulletins.NoticeFactory(board=bulletins.channel(Board.Kind.POLICIES))
    bulletins.NoticeFactory(board=bulletins.board_of(employee.department), pinned=True)

    for _ in range(2):
        notices.NoticeDeliveryFactory(recipient=users["employee"])
    notices.NoticeDeliveryFactory(notice__sender=users["employee"])
    notices.NoticeDeliveryFactory(notice__sender=users["department_head"], recipient=employee.user)

    for _ in range(3):
        knowledge.ArticlePageFactory()
        knowledge.ArticlePageFactory(face="extranet")

    for _ in range(3):
        documents.DocumentFileFactory()
    report_type = documents.ReportTypeFactory(destination=employee.department)
    for status in (CircularReport.Status.SENT, CircularReport.Status.ACCEPTED):
        documents.CircularReportFactory(report_type=report_type, status=status)

    board = forum.BoardFactory()
    _writer, pseudonym = forum.author()
    forum.pseudonym_for(users["employee"])
    for title in ("食堂的菜价", "班车时刻"):
        forum.topic_with_posts(board=board, author=pseudonym, count=3, title=title)

    retailer = users["retailer"].retailer_login.retailer
    retailer.order_day = extranet.open_order_day()
    retailer.route = extranet.DeliveryRouteFactory()
    retailer.account_manager = users["account_manager"].employee
    retailer.save()
    products = [extranet.ProductFactory() for _ in range(3)]
    extranet.RetailerAllocationFactory(retailer=retailer, product=products[0])
    order = extranet.OrderFactory(retailer=retailer, lines=[(products[1], 2), (products[2], 1)])
    feedback = extranet.FeedbackFactory(retailer=retailer)
    market_report = market.MarketReportFactory(retailer=retailer)
    for _ in range(2):
        extranet.OrderingRetailerFactory(account_manager=users["account_manager"].employee)
    survey = SurveyFactory()
    QuestionFactory(survey=survey, kind=Question.Kind.SINGLE, labels=["满意", "一般"])
    QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT)
    SurveyFactory(closes_at=timezone.now() - timedelta(hours=1))
    return {
        "notice": notice,
        "article": knowledge.ArticlePageFactory(),
        "external_article": knowledge.ArticlePageFactory(face="extranet"),
        "order": order,
        "feedback": feedback,
        "market_report": market_report,
        "survey": survey,
    }


def path_of(page):
    return urlsplit(page.full_url).path


# Pages the access matrix opens with other people's objects (a retailer's own order answers only
# that retailer) or does not list (pages served by Wagtail's catch-all route, besides the home
# page): face → [(role, a function of the made data returning the URL)].
OWN_PAGES = {
    "intranet": [
        ("employee", lambda made: path_of(made["notice"].get_parent())),
        ("employee", lambda made: path_of(made["notice"])),
        ("employee", lambda made: path_of(made["article"])),
        # Wagtail's admin is checked where people use it; its page editor is left out, for its
        # rich-text box has a violation of Wagtail's own (aria-input-field-name).
        ("knowledge_editor", lambda made: f"/admin/pages/{made['article'].get_parent().pk}/"),
    ],
    "extranet": [
        ("retailer", lambda made: path_of(made["external_article"])),
        ("retailer", lambda made: f"/shop/orders/{made['order'].pk}/"),
        ("retailer", lambda made: f"/shop/feedback/{made['feedback'].pk}/"),
        ("retailer", lambda made: f"/shop/market/{made['market_report'].pk}/"),
        ("retailer", lambda made: f"/shop/surveys/{made['survey'].pk}/"),
    ],
}


def main_pages(face, users, made):
    """{role: [url]} of every HTML page of the face that some role may open, for its user."""
    client = Client()
    by_role = {}
    routes = [(route, url, outcomes) for route, (url, outcomes) in MATRIX[face].items()]
    routes += [(role, functools.partial(url, made), {role: OK}) for role, url in OWN_PAGES[face]]
    if face == "intranet":
        routes += [(url, url, outcomes) for url, outcomes in ADMIN_ROWS.items()]
    for _route, url, outcomes in routes:
        role = next((key for key in USERS_IN_ORDER if outcomes.get(key) == OK), None)
        if role is None:
            continue
        target = url() if callable(url) else url
        client.logout()
        if users[role] is not None:
            sign_in(client, users[role])
        response = client.get(target)
        # Fragments a page loads into itself are checked in that page.
        html = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if html and b"<html" in response.content[:500]:
            by_role.setdefault(role, []).append(target)
    return by_role


def shot_name(face, url, width):
    path = re.sub(r"\d+", "n", urlsplit(url).path).strip("/") or "home"
    return f"{face}-{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-')}-{width}.png"


def serious_violations(page):
    """axe-core's critical and serious violations on the page: one line per rule, with its
    count and first node."""
    results = Axe().run(page).response
    assert results["testEngine"]["version"].startswith("4."), results["testEngine"]
    return [
        f"{violation['id']} ({violation['impact']}) ×{len(violation['nodes'])}: "
        f"{' '.join(violation['nodes'][0]['target'])} "
        f"— {violation['nodes'][0]['failureSummary'].splitlines()[-1].strip()}"
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]


def new_context(browser, live_server, user):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="zh-CN", service_workers="block"
    )
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        sign_in(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def sweep(page, face, urls, screenshot_dir):
    """Open each URL; returns ({url: [violations]}, [urls that scroll sideways on a phone])."""
    violations, overflowing = {}, []
    for url in urls:
        page.set_viewport_size(PHONE)
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        page.screenshot(path=screenshot_dir / shot_name(face, url, PHONE["width"]), full_page=True)
        if not has_no_horizontal_scroll(page):
            overflowing.append(url)
        page.set_viewport_size(DESKTOP)
        page.screenshot(
            path=screenshot_dir / shot_name(face, url, DESKTOP["width"]), full_page=True
        )
        violations.update(checked_at_both_widths(page, url))
    return violations, overflowing


def checked_at_both_widths(page, label):
    """axe on the page as it stands, every <details> opened, at desktop then at phone width
    (the phone layout hides and reflows what the desktop shows: a menu, stacked tables)."""
    page.evaluate(OPEN_DETAILS)
    violations = {}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        found = serious_violations(page)
        if found:
            violations[f"{label} @{viewport['width']}px"] = found
    page.set_viewport_size(DESKTOP)
    return violations


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_main_pages_have_no_serious_accessibility_violations(
    browser, live_server, settings, screenshot_dir, face
):
    set_face(settings, face)
    users = {key: make_role_user(key) for key in USERS_IN_ORDER}
    made = furnish(users)
    by_role = main_pages(face, users, made)
    assert sum(len(urls) for urls in by_role.values()) > 20, by_role
    forms = {}
    for role, url, button in FORMS_WITH_ERRORS[face]:
        forms.setdefault(role, []).append((url(made) if callable(url) else url, button))

    violations, overflowing = {}, []
    for role in dict.fromkeys([*by_role, *forms]):
        context = new_context(browser, live_server, users[role])
        page = context.new_page()
        try:
            found, wide = sweep(page, face, by_role.get(role, []), screenshot_dir)
            violations.update(found)
            overflowing += wide
            for url, button in forms.get(role, []):
                page.goto(url)
                sender = page.locator(button).first
                sender.evaluate("(button) => { button.form.noValidate = true; }")
                with page.expect_navigation():
                    sender.click()
                expect(page.locator(ERRORS_SHOWN).first).to_be_visible()
                violations.update(checked_at_both_widths(page, f"{url} (sent empty)"))
        finally:
            context.close()

    report = "\n".join(f"{url}:\n  " + "\n  ".join(lines) for url, lines in violations.items())
    assert violations == {}, f"serious accessibility violations:\n{report}"
    assert overflowing == [], "pages that scroll sideways at 375 px"


def test_import_status_reloads_once_the_import_has_finished(page, live_server, settings):
    """Without a <meta> refresh (axe: meta-refresh), the status page of a retailer import still
    shows the outcome by itself: portal.js asks for the page until its status changes."""
    from django.utils import timezone

    from extranet.models import RetailerImport
    from tests.functional.browsing import sign_in as sign_in_by_form

    set_face(settings, "intranet")
    administrator = make_role_user("sales_administrator")
    job = RetailerImport.objects.create(
        name="r.xlsx", file="extranet/imports/r.xlsx", created_at=timezone.now()
    )
    sign_in_by_form(page, administrator.username)
    page.goto(f"/sales/retailers/import/{job.pk}/")
    status = page.locator(".import-status")
    expect(status).to_have_attribute("data-status", "queued")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.evaluate("window.stillTheSamePage = true")

    RetailerImport.objects.filter(pk=job.pk).update(
        status=RetailerImport.Status.DONE, finished_at=timezone.now(), total_rows=2
    )
    expect(status).to_have_attribute("data-status", "done")
    # Reloaded once, and no longer watching.
    assert page.evaluate("window.stillTheSamePage") is None
    assert page.locator("[data-watch-status]").count() == 0
