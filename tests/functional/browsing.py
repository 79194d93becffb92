"""What a person does in the browser, shared by the browser tests."""

from tests.factories.people import PASSWORD

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


def sign_in(page, login, password=PASSWORD):
    """Fill in and send the login form the way a person would."""
    page.goto("/accounts/login/")
    form = page.locator("main form.stacked")
    form.locator("input[name=login]").fill(login)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def open_menu(page):
    """On a phone the header's menu is folded behind its button: open it."""
    toggle = page.locator(".site-header .menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def sign_out(page):
    open_menu(page)
    menu = page.locator("details.user-menu")
    menu.locator("summary").click()
    menu.locator("form[action$='/logout/'] button[type=submit]").click()


def has_no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
