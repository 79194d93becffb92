"""Links are shown only to those who may follow them: for every role, every link of the
navigation, the module tiles and the user menu of the home page, and every link on each module
page those lead to (its own navigation and its actions), opens (200) for that role instead of
refusing it (403)."""

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROLE_KEYS, make_role_user, set_face, sign_in

pytestmark = pytest.mark.django_db

# Where links are offered as a way to go: navigation bars, the home page's tiles and hub
# tiles, the user menu.
LINK_BLOCKS = re.compile(
    r'<nav\b.*?</nav>|<ul class="(?:tiles|hub)".*?</ul>|<details class="user-menu".*?</details>',
    re.S,
)
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)"')


MAIN = re.compile(r"<main\b.*?</main>", re.S)


def offered_links(html: str, *, everywhere_in_main: bool = False) -> list[str]:
    links = []
    blocks = LINK_BLOCKS.findall(html)
    if everywhere_in_main:
        blocks += MAIN.findall(html)
    for block in blocks:
        for href in HREF.findall(block):
            href = href.replace("&amp;", "&")
            if href and not urlsplit(href).netloc and href.startswith("/"):
                links.append(href)
    return list(dict.fromkeys(links))


def answer(client, url):
    response = client.get(url, follow=True)
    return response, response.status_code


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_every_link_offered_in_the_navigation_opens_for_the_role(client, settings, role):
    face = "extranet" if role == "retailer" else "intranet"
    set_face(settings, face)
    user = make_role_user(role)
    if user is not None:
        sign_in(client, user)
    home, status = answer(client, "/")
    assert status == 200
    first = offered_links(home.content.decode())
    if user is not None:
        assert first, "the home page offers no links"
    checked, refused = set(), []
    for link in first:
        page, status = answer(client, link)
        checked.add(link)
        if status != 200:
            refused.append(f"{link} (home page): {status}")
            continue
        for inner in offered_links(page.content.decode(), everywhere_in_main=True):
            if inner in checked or inner in first:
                continue
            checked.add(inner)
            _response, status = answer(client, inner)
            if status != 200:
                refused.append(f"{inner} (on {link}): {status}")
    assert not refused, f"{role} is offered links that do not open:\n" + "\n".join(refused)


def test_plain_employees_are_not_offered_the_sales_staff_tabs(client, intranet):
    sign_in(client, make_role_user("employee"))
    page = client.get("/sales/products/").content.decode()
    assert 'href="/sales/products/"' in page
    for staff_only in ("/sales/retailers/", "/sales/visits/", "/sales/orders/"):
        assert f'href="{staff_only}"' not in page
    sign_in(client, make_role_user("account_manager"))
    page = client.get("/sales/products/").content.decode()
    assert 'href="/sales/retailers/"' in page and 'href="/sales/orders/picking/"' in page
