"""The forum in headless Chromium: an employee chooses a pseudonym, posts a topic and sees it
under that name; a colleague replies; the first sees the topic as unread and jumps to the reply.
"""

import re

import pytest
from playwright.sync_api import expect

from forum.models import Pseudonym
from forum.services.posting import topic_create
from tests.factories.forum import BoardFactory, pseudonym_for
from tests.factories.people import EmployeeFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_post_a_topic_under_a_pseudonym_and_see_a_reply_as_unread(
    page, live_server, intranet, screenshot_dir
):
    board = BoardFactory(name="综合讨论", slug="general")
    first = EmployeeFactory(name="司马懿")
    second = EmployeeFactory(name="诸葛亮")
    pseudonym_for(second.user, "KeenMaple602")

    sign_in(page, first.employee_number)
    page.goto("/forum/")
    page.locator("a.board-name", has_text="综合讨论").click()
    page.locator("a.button.primary[href$='/new/']").click()

    # No pseudonym yet: choose one of the suggestions first, then come back to the form.
    expect(page).to_have_url(re.compile(r"/forum/pseudonym/"))
    choice = page.locator("fieldset.choices input[type=radio]").first
    chosen = page.locator("fieldset.choices label.pseudonym").first.inner_text().strip()
    choice.check()
    page.locator("form.stacked button.primary").click()
    expect(page).to_have_url(re.compile(rf"/forum/b/{board.slug}/new/$"))
    assert Pseudonym.objects.filter(name=chosen).exists()

    page.locator("input[name=title]").fill("夜班休息室空调坏了")
    page.locator("textarea[name=body]").fill("三号车间的空调**一周**没修了。")
    page.locator("form.stacked button.primary").click()
    expect(page.locator("main h1")).to_have_text("夜班休息室空调坏了")
    first_post = page.locator("li.post").first
    expect(first_post.locator(".post-head .pseudonym")).to_have_text(chosen)
    expect(first_post.locator(".post-body strong")).to_have_text("一周")
    expect(page.locator("main")).not_to_contain_text("司马懿")
    topic_url = page.url.split("?")[0]
    page.screenshot(path=screenshot_dir / "forum-topic-1280.png", full_page=True)
    sign_out(page)

    sign_in(page, second.employee_number)
    page.goto(topic_url)
    # @mention completion offers the pseudonym after a few letters; all by keyboard: Tab to
    # the suggestion, Enter to take it, Tab to the send button, Enter to send.
    area = page.locator("form.stacked textarea[name=body]")
    area.press_sequentially(f"@{chosen[:4]}")
    suggestion = page.locator(".mention-list button", has_text=f"@{chosen}")
    expect(suggestion).to_be_visible()
    page.keyboard.press("Tab")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Enter")
    expect(area).to_be_focused()
    area.press_sequentially("我已经报修了。")
    expect(area).to_have_value(f"@{chosen} 我已经报修了。")
    page.keyboard.press("Tab")
    expect(page.locator("form.stacked button.primary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("li.post#p2 .pseudonym")).to_have_text("KeenMaple602")
    expect(page.locator("main")).not_to_contain_text("诸葛亮")
    sign_out(page)

    sign_in(page, first.employee_number)
    page.goto(f"/forum/b/{board.slug}/")
    row = page.locator("tr.unread", has_text="夜班休息室空调坏了")
    expect(row).to_have_count(1)
    row.locator("a.tag.new").click()
    expect(page).to_have_url(re.compile(r"#p2$"))
    expect(page.locator("li.post#p2.unread")).to_have_count(1)
    page.set_viewport_size(PHONE)
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "forum-topic-375.png", full_page=True)
    # Read now: the board no longer marks it. The lists fit a phone's width too.
    page.goto(f"/forum/b/{board.slug}/")
    expect(page.locator("tr.unread")).to_have_count(0)
    assert has_no_horizontal_scroll(page)
    page.goto("/forum/")
    expect(page.locator("a.board-name", has_text="综合讨论")).to_be_visible()
    assert has_no_horizontal_scroll(page)


def test_a_late_mention_answer_keeps_the_focus_on_the_chosen_suggestion(
    page, live_server, intranet
):
    """An answer arrives while the reader has already tabbed onto a suggestion (typing fast
    sends several lookups): it must not rebuild the list under them, so Enter still takes it."""
    board = BoardFactory(slug="late")
    writer = EmployeeFactory()
    pseudonym_for(writer.user, "WiseCedar101")
    keen = pseudonym_for(EmployeeFactory().user, "KeenMaple602")
    topic = topic_create(board=board, author=keen, title="空调", body="坏了")

    sign_in(page, writer.employee_number)
    page.goto(f"/forum/t/{topic.pk}/")
    area = page.locator("form.stacked textarea[name=body]")
    mentions = page.locator(".mention-list")
    area.press_sequentially("@Ke")
    suggestion = mentions.locator("button", has_text="@KeenMaple602")
    expect(mentions).to_have_attribute("data-answers", "1")
    page.keyboard.press("Tab")
    expect(suggestion).to_be_focused()
    # A second lookup for the same text, answered while the focus is on the suggestion.
    area.dispatch_event("input")
    expect(mentions).to_have_attribute("data-answers", "2")
    page.keyboard.press("Enter")
    expect(area).to_have_value("@KeenMaple602 ")
    expect(area).to_be_focused()
