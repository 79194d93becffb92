"""A retailer answers a survey on a phone; the sales administrator's results chart changes."""

import json
import re

import pytest
from playwright.sync_api import expect

from extranet.surveys.models import SurveyResponse
from tests.conftest import set_face
from tests.factories.people import EmployeeFactory, RetailerLoginFactory, UserFactory
from tests.factories.surveys import QuestionFactory, SurveyFactory
from tests.functional.browsing import DESKTOP, PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def chart_of(page, question_id):
    charts = json.loads(page.locator("script#survey-charts").text_content())
    return next(chart for chart in charts if chart["id"] == question_id)


def test_retailer_answers_on_a_phone_and_the_chart_changes(
    page, browser, live_server, settings, screenshot_dir
):
    survey = SurveyFactory(title="门店经营情况调查")
    taste = QuestionFactory(
        survey=survey, kind="single", text="新品口味", labels=["好", "一般", "差"]
    )
    rating = QuestionFactory(survey=survey, kind="rating", text="配送满意度")
    QuestionFactory(survey=survey, kind="long_text", text="其他建议", required=False)
    admin = EmployeeFactory(user=UserFactory(roles=["sales_administrator"]))
    login = RetailerLoginFactory()

    set_face(settings, "intranet")
    staff = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
    staff.set_default_timeout(10_000)
    desk = staff.new_page()
    sign_in(desk, admin.user.username)
    expect(desk).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    desk.goto(f"/sales/surveys/{survey.pk}/results/")
    expect(desk.locator(f"canvas[data-chart='{taste.pk}']")).to_have_attribute(
        "data-drawn", "0,0,0"
    )
    assert chart_of(desk, taste.pk)["data"] == [0, 0, 0]

    set_face(settings, "extranet")
    page.set_viewport_size(PHONE)
    sign_in(page, login.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    page.locator(".home-surveys a", has_text=survey.title).click()
    expect(page).to_have_url(re.compile(rf"/shop/surveys/{survey.pk}/$"))
    # Submitting without the required rating keeps a draft and says what is missing.
    page.get_by_label("一般").check()
    page.locator("button[name=submit]").click()
    expect(page.locator(".survey-question.has-error")).to_have_count(1)
    assert SurveyResponse.objects.get().status == "draft"
    expect(page.get_by_label("一般")).to_be_checked()
    assert has_no_horizontal_scroll(page)
    page.locator(f"input[name=q{rating.pk}][value='4']").check()
    page.locator("textarea").fill("希望周末也能送货")
    page.screenshot(path=screenshot_dir / "extranet-survey-375.png", full_page=True)
    page.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(rf"/shop/surveys/{survey.pk}/thanks/$"))
    assert SurveyResponse.objects.get().status == "submitted"

    set_face(settings, "intranet")
    desk.reload()
    expect(desk.locator(f"canvas[data-chart='{taste.pk}']")).to_have_attribute(
        "data-drawn", "0,1,0"
    )
    assert chart_of(desk, taste.pk)["data"] == [0, 1, 0]
    assert chart_of(desk, rating.pk)["data"] == [0, 0, 0, 1, 0]
    expect(desk.locator(".response-rate")).to_contain_text("100.0 %")
    desk.screenshot(path=screenshot_dir / "intranet-survey-results.png", full_page=True)
    staff.close()
