"""The real UI in headless Chromium: signing in on each face, the language switch, search.

Each test serves one face from the live server (the `intranet` / `extranet` fixtures) and browses
it as a person would. The home page of each face is saved as a screenshot at desktop and phone
width under var/screenshots/.
"""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from tests.factories.people import EmployeeFactory
from tests.functional.browsing import (
    DESKTOP,
    PHONE,
    has_no_horizontal_scroll,
    open_menu,
    sign_in,
    sign_out,
)

# serialized_rollback: the live server needs a transactional database, whose flush between tests
# would otherwise remove Wagtail's page tree and the two sites that migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def url(live_server, path):
    return re.compile(rf"^{re.escape(live_server.url + path)}$")


def test_employee_signs_in_on_the_intranet_and_out_again(
    page, live_server, intranet, screenshot_dir
):
    employee = EmployeeFactory()  # its login name is its employee number, as issued
    sign_in(page, employee.employee_number)

    expect(page).to_have_url(url(live_server, "/"))
    expect(page.locator("body")).to_have_class(re.compile(r"\bface-intranet\b"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_contain_text(employee.name)
    expect(page.locator("details.user-menu summary")).to_have_text(employee.name)

    page.screenshot(path=screenshot_dir / "intranet-home-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    open_menu(page)
    expect(page.locator("header form[role=search] input[name=q]")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "intranet-home-375.png", full_page=True)

    sign_out(page)
    expect(page).to_have_url(url(live_server, "/accounts/login/"))
    expect(page.locator("details.user-menu")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/accounts/login/")))


def test_retailer_signs_in_on_the_extranet_from_a_phone_and_out_again(
    page, live_server, extranet, retailer_user, screenshot_dir
):
    licence_number = retailer_user.retailer_login.retailer.licence_number
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    for field in ("login", "password"):
        box = page.locator(f"main form input[name={field}]")
        expect(box).to_be_visible()
        bounds = box.bounding_box()
        assert bounds["x"] >= 0
        assert bounds["x"] + bounds["width"] <= PHONE["width"]
    assert has_no_horizontal_scroll(page)

    sign_in(page, licence_number)

    expect(page).to_have_url(url(live_server, "/"))
    expect(page.locator("body")).to_have_class(re.compile(r"\bface-extranet\b"))
    expect(page.locator("main .welcome")).to_contain_text(licence_number)
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "extranet-home-375.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=screenshot_dir / "extranet-home-1280.png", full_page=True)

    sign_out(page)
    expect(page).to_have_url(url(live_server, "/accounts/login/"))
    expect(page.locator("details.user-menu")).to_have_count(0)


def test_retailer_is_refused_on_the_intranet_like_a_wrong_password(
    page, live_server, intranet, retailer_user
):
    sign_in(page, retailer_user.username)

    expect(page).to_have_url(url(live_server, "/accounts/login/"))
    # The same generic error as a wrong password: the intranet does not confirm that a
    # retailer's password is right (issue 17).
    alert = page.locator("main [role=alert]")
    expect(alert).to_be_visible()
    expect(alert).not_to_contain_text(settings.EXTRANET_BASE_URL)
    expect(page.locator("details.user-menu")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/accounts/login/")))


def test_reader_switches_the_language_and_it_stays_switched(page, live_server, intranet, employee):
    page.goto("/accounts/login/")
    html, choice = page.locator("html"), page.locator("select[name=language]")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(choice).to_have_value("zh-hans")
    heading = page.locator("main h1")
    with translation.override("zh-hans"):
        sign_in_in_chinese = translation.gettext("Sign in")
    assert sign_in_in_chinese != "Sign in"
    expect(heading).to_have_text(sign_in_in_chinese)

    choice.select_option("en")
    page.locator("[data-testid=language-submit]").click()

    expect(page).to_have_url(url(live_server, "/accounts/login/"))
    expect(html).to_have_attribute("lang", "en")
    expect(choice).to_have_value("en")
    expect(heading).to_have_text("Sign in")
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies.get(settings.LANGUAGE_COOKIE_NAME) == "en"

    # The choice outlives the sign-in, although the browser still asks for Chinese.
    sign_in(page, employee.username)
    expect(page).to_have_url(url(live_server, "/"))
    expect(html).to_have_attribute("lang", "en")


def test_employee_finds_a_colleague_by_name(page, live_server, intranet):
    EmployeeFactory(name="张伟")
    EmployeeFactory(name="李娜")
    searcher = EmployeeFactory(name="王芳")
    call_command("rebuild_index", interactive=False, verbosity=0)

    sign_in(page, searcher.user.email)
    expect(page).to_have_url(url(live_server, "/"))
    box = page.locator("header form[role=search] input[name=q]")
    box.fill("张伟")
    box.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/search/?q=")))
    results = page.locator("ol.search-results > li")
    found = results.filter(has_text="张伟")
    expect(found).to_have_count(1)
    expect(found.locator("mark").first).to_be_visible()
    expect(results.filter(has_text="李娜")).to_have_count(0)
