"""Both faces on a 375 px phone: a compact header whose menu opens by tap and by keyboard,
actions that look disabled when they are, touch targets of at least 44 px, and no page wider
than the screen for the roles that use it. Each page is saved as a screenshot under
var/screenshots/ as phone-<page>-375.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bulletins.services import notice_acknowledge
from extranet.models import Feedback
from portal.permissions import Role
from tests.conftest import set_face
from tests.factories.bulletins import NoticeFactory as BulletinNoticeFactory
from tests.factories.bulletins import board_of
from tests.factories.extranet import (
    FeedbackFactory,
    OrderFactory,
    OrderingRetailerFactory,
    ProductFactory,
)
from tests.factories.notices import NoticeDeliveryFactory, NoticeFactory
from tests.factories.people import (
    DepartmentFactory,
    EmployeeFactory,
    RetailerLoginFactory,
    UserFactory,
)
from tests.factories.surveys import QuestionFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER_MAX_HEIGHT = 80
TOUCH_TARGET = 44
LONG_EMAIL = "ouyang.xiaoming.quality-inspection-laboratory@factory.example.com"


def lines_of(cell):
    """How many lines the text of an element takes."""
    return cell.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
        }"""
    )


def header_height(page):
    return page.locator(".site-header").bounding_box()["height"]


def visit(page, path, screenshot_dir, name):
    """Open `path` at phone width and check that nothing is wider than the screen."""
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert header_height(page) <= HEADER_MAX_HEIGHT, path
    width = page.evaluate("document.documentElement.scrollWidth")
    assert has_no_horizontal_scroll(page), f"{path} is {width} px wide at {PHONE['width']} px"
    page.screenshot(path=screenshot_dir / f"phone-{name}-375.png", full_page=True)


@pytest.fixture
def touch_page(browser, live_server):
    """A phone with a touch screen."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True, locale="zh-CN"
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_the_header_is_compact_and_its_menu_opens_by_tap_and_by_keyboard(
    touch_page, live_server, settings, face
):
    page = touch_page
    set_face(settings, face)
    if face == "intranet":
        login = EmployeeFactory().user.username
    else:
        login = RetailerLoginFactory(retailer=OrderingRetailerFactory()).user.username
    page.goto("/accounts/login/")
    # Signed out: the brand and the language switch, on one row.
    assert header_height(page) <= HEADER_MAX_HEIGHT
    assert has_no_horizontal_scroll(page)
    sign_in(page, login)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))

    toggle = page.locator(".site-header .menu-toggle")
    nav = page.locator(".site-header .main-nav")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert header_height(page) <= HEADER_MAX_HEIGHT
    assert toggle.bounding_box()["height"] >= TOUCH_TARGET

    # By tap.
    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.locator(".site-header form[role=search] input[name=q]")).to_be_visible()
    for link in nav.locator("a").all():
        assert link.bounding_box()["height"] >= TOUCH_TARGET
    toggle.tap()
    expect(nav).to_be_hidden()

    # By keyboard: Tab to the button, Enter opens, Escape closes and gives the focus back.
    page.locator(".site-header .brand").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('menu-toggle')"):
            break
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press(" ")
    expect(nav).to_be_visible()

    # At desktop width the menu is simply there, without a button.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(toggle).to_be_hidden()
    expect(nav).to_be_visible()


def test_a_phone_shows_the_cart_count_and_a_disabled_order_button_that_looks_disabled(
    page, live_server, settings, screenshot_dir
):
    set_face(settings, "extranet")
    retailer = OrderingRetailerFactory()
    login = RetailerLoginFactory(retailer=retailer)
    product = ProductFactory(stock=100, name="云端")
    page.set_viewport_size(PHONE)
    sign_in(page, login.user.username)
    expect(page.locator(".site-header .cart-count")).to_have_text("0")

    page.goto(f"/shop/products/{product.pk}/")
    page.locator("form.add-to-cart button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/shop/cart/$"))
    cart = page.locator(".site-header .cart-link")
    expect(cart).to_be_visible()
    expect(cart.locator(".cart-count")).to_have_text("1")
    assert cart.bounding_box()["x"] + cart.bounding_box()["width"] <= PHONE["width"]
    order = page.locator("form.checkout-form button[type=submit]")
    expect(order).to_be_enabled()
    enabled_look = order.evaluate("b => getComputedStyle(b).backgroundColor")

    # Ordering closes: the button is disabled, looks it, and says why next to it.
    retailer.order_day = (timezone.localdate().weekday() + 1) % 7
    retailer.save()
    page.reload()
    expect(order).to_be_disabled()
    style = order.evaluate(
        "b => ({background: getComputedStyle(b).backgroundColor,"
        " cursor: getComputedStyle(b).cursor})"
    )
    assert style["background"] != enabled_look
    assert style["cursor"] == "not-allowed"
    reason = page.locator("#checkout-refused")
    expect(reason).to_be_visible()
    expect(order).to_have_attribute("aria-describedby", "checkout-refused")
    button_box, reason_box = order.bounding_box(), reason.bounding_box()
    # Right under the button, not somewhere above the cart.
    assert 0 <= reason_box["y"] - (button_box["y"] + button_box["height"]) <= 24
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "extranet-cart-closed-375.png", full_page=True)


def test_rating_radios_are_touch_targets_of_44_px(page, live_server, settings):
    set_face(settings, "extranet")
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory())
    feedback = FeedbackFactory(
        retailer=login.retailer,
        status=Feedback.Status.RESOLVED,
        resolved_at=timezone.now(),
        resolution="已处理",
    )
    survey_question = QuestionFactory(kind="rating")
    page.set_viewport_size(PHONE)
    sign_in(page, login.user.username)

    for path in (f"/shop/feedback/{feedback.pk}/", f"/shop/surveys/{survey_question.survey_id}/"):
        page.goto(path)
        radios = page.locator("main input[type=radio]")
        expect(radios).to_have_count(5)
        for radio in radios.all():
            label = radio.locator("xpath=ancestor::label[1]")
            box = label.bounding_box()
            assert box["height"] >= TOUCH_TARGET, f"{path}: a rating label is {box['height']} px"
            assert box["width"] >= TOUCH_TARGET
        # The label is the hit area: a tap on its far edge picks the radio.
        last = radios.last
        label_box = last.locator("xpath=ancestor::label[1]").bounding_box()
        page.mouse.click(
            label_box["x"] + label_box["width"] - 4, label_box["y"] + label_box["height"] - 4
        )
        expect(last).to_be_checked()


def test_the_main_pages_of_the_intranet_fit_a_phone(page, live_server, settings, screenshot_dir):
    set_face(settings, "intranet")
    quality = DepartmentFactory(code="quality", name="质检科")
    head = EmployeeFactory(
        department=quality, name="司马光明", user=UserFactory(roles=[Role.DEPARTMENT_HEAD])
    )
    quality.head = head
    quality.save()
    long_named = EmployeeFactory(
        department=quality, name="欧阳晓明", user=UserFactory(email=LONG_EMAIL)
    )
    people = [EmployeeFactory(department=quality) for _ in range(6)]
    sent = NoticeFactory(sender=head.user, subject="质量月活动通知")
    for person in [long_named, *people]:
        NoticeDeliveryFactory(notice=sent, recipient=person.user)
    bulletin = BulletinNoticeFactory(
        board=board_of(quality), title="关于开展质量月活动的通知", must_acknowledge=True
    )
    notice_acknowledge(notice=bulletin, user=people[0].user)

    page.set_viewport_size(PHONE)
    sign_in(page, long_named.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    for path, name in [
        ("/", "intranet-home"),
        ("/directory/", "directory"),
        ("/directory/?q=ouyang", "directory-search-long-email"),
        ("/directory/departments/quality/", "directory-department"),
        (f"/directory/people/{long_named.pk}/", "directory-person"),
        ("/notices/", "notices-inbox"),
        ("/bulletins/", "bulletins"),
        ("/forum/", "forum"),
        ("/knowledge/", "knowledge"),
        ("/documents/", "documents"),
        ("/documents/reports/", "documents-reports"),
        ("/search/?q=质量", "search"),
    ]:
        visit(page, path, screenshot_dir, name)
    expect(page.locator("main")).to_contain_text("质量")

    # The department head: the delivery table and the acknowledgement report.
    page.context.clear_cookies()
    sign_in(page, head.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    visit(page, f"/notices/{sent.pk}/", screenshot_dir, "notice-deliveries")
    # Names read across, not one character a line.
    name_cell = page.locator(".deliveries td.recipient-name", has_text="欧阳晓明")
    assert lines_of(name_cell) == 1
    visit(page, "/notices/sent/", screenshot_dir, "notices-sent")
    visit(page, f"/bulletins/notices/{bulletin.pk}/report/", screenshot_dir, "bulletin-report")
    visit(
        page,
        f"/bulletins/notices/{bulletin.pk}/report/?show=pending",
        screenshot_dir,
        "bulletin-report-pending",
    )
    names = page.locator(".report-people td.person-name")
    expect(names).not_to_have_count(0)
    for name in names.all():
        assert lines_of(name) == 1

    # The account manager's sales pages (the picking list, imports and analysis are checked
    # with the staff pages).
    manager = EmployeeFactory(user=UserFactory(roles=[Role.ACCOUNT_MANAGER]))
    retailer = OrderingRetailerFactory(account_manager=manager)
    OrderFactory(retailer=retailer)
    page.context.clear_cookies()
    sign_in(page, manager.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    for path, name in [
        ("/sales/", "sales"),
        ("/sales/orders/", "sales-orders"),
        ("/sales/retailers/", "sales-retailers"),
        (f"/sales/retailers/{retailer.pk}/", "sales-retailer"),
        ("/sales/feedback/", "sales-feedback"),
        ("/sales/market/", "sales-market"),
        ("/sales/products/", "sales-products"),
    ]:
        visit(page, path, screenshot_dir, name)


def test_the_main_pages_of_the_extranet_fit_a_phone(page, live_server, settings, screenshot_dir):
    set_face(settings, "extranet")
    retailer = OrderingRetailerFactory()
    login = RetailerLoginFactory(retailer=retailer)
    product = ProductFactory(stock=100)
    order = OrderFactory(retailer=retailer)
    feedback = FeedbackFactory(retailer=retailer, submitted_at=timezone.now() - timedelta(hours=1))
    question = QuestionFactory(kind="rating")

    page.set_viewport_size(PHONE)
    sign_in(page, login.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    for path, name in [
        ("/", "extranet-home"),
        ("/shop/products/", "extranet-products"),
        (f"/shop/products/{product.pk}/", "extranet-product"),
        ("/shop/cart/", "extranet-cart"),
        ("/shop/orders/", "extranet-orders"),
        (f"/shop/orders/{order.pk}/", "extranet-order"),
        ("/shop/profile/", "extranet-profile"),
        ("/shop/surveys/", "extranet-surveys"),
        (f"/shop/surveys/{question.survey_id}/", "extranet-survey"),
        ("/shop/feedback/", "extranet-feedback-list"),
        ("/shop/feedback/new/", "extranet-feedback-new"),
        (f"/shop/feedback/{feedback.pk}/", "extranet-feedback-item"),
        ("/shop/market/", "extranet-market"),
        ("/shop/market/new/", "extranet-market-new"),
        ("/shop/knowledge/", "extranet-knowledge"),
    ]:
        visit(page, path, screenshot_dir, name)
