"""On a phone: the board, the feed links and the publisher's report fit the screen; revoking the
feed links asks first, and answering "no" keeps the old links working."""

import pytest
from playwright.sync_api import expect

from bulletins.models import FeedToken
from portal.models import AuditEntry
from tests.factories.bulletins import NoticeFactory, board_of
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_bulletin_pages_fit_a_phone_and_revoking_feed_links_asks_first(
    page, live_server, intranet, screenshot_dir
):
    from portal.permissions import Role

    sales = DepartmentFactory(code="sales", name="销售科")
    head = EmployeeFactory(department=sales, user=UserFactory(roles=[Role.DEPARTMENT_HEAD]))
    sales.head = head
    sales.save()
    EmployeeFactory(department=sales)
    board = board_of(sales)
    notice = NoticeFactory(
        board=board,
        title="关于开展安全生产月活动的通知（各车间、各班组务必组织学习并签字确认）",
        must_acknowledge=True,
        pinned=True,
    )

    page.set_viewport_size(PHONE)
    sign_in(page, head.user.username)
    # Signed in: the user menu is there, folded into the header's menu on a phone.
    expect(page.locator("details.user-menu")).to_have_count(1)

    page.goto("/bulletins/board-sales/")
    expect(page.locator(".notice-list li.pinned")).to_have_count(1)
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "bulletins-board-375.png", full_page=True)

    page.goto(f"/bulletins/notices/{notice.pk}/report/")
    expect(page.locator("table.report-summary")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "bulletins-report-375.png", full_page=True)

    page.goto("/bulletins/feeds/")
    link = page.locator(".feed-links input").first
    old = link.input_value()
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "bulletins-feeds-375.png", full_page=True)
    revoke = page.locator("form[action$='/feeds/regenerate/'] button")

    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    revoke.click()
    assert len(asked) == 1

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    revoke.click()
    expect(page.locator(".message-success")).to_be_visible()
    assert len(asked) == 2
    assert page.locator(".feed-links input").first.input_value() != old
    assert FeedToken.objects.get(user=head.user).token not in old
    # Only the confirmed click revoked the links (a refused one would have been sent first).
    regenerated = AuditEntry.objects.filter(action="bulletins.feed_token_regenerated")
    assert regenerated.count() == 1
