"""Unified search beyond pages and people: the catalogue's products (for the sales staff),
the mass notices the reader received, and discussion topics (linking to the discussion)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.permissions import Role
from tests.conftest import make_role_user, set_face
from tests.factories.extranet import BrandFactory, ProductFactory
from tests.factories.notices import NoticeDeliveryFactory, NoticeFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def found(client, user, query):
    client.force_login(user)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    listing = re.search(r'<ol class="search-results".*?</ol>', response.content.decode(), re.S)
    return listing.group() if listing else ""


def test_products_are_found_by_name_and_code_by_employees_not_retailers(client, settings, indexed):
    set_face(settings, "intranet")
    with indexed():
        product = ProductFactory(brand=BrandFactory(name="利群"), name="利群（新版）", code="ZH001")
    administrator = EmployeeFactory(user=UserFactory(roles=[Role.SALES_ADMINISTRATOR])).user
    link = f'href="/sales/products/{product.pk}/"'
    assert link in found(client, administrator, "利群")
    assert link in found(client, administrator, "ZH001")
    # Every employee may open the product pages (DESIGN: catalogue look-up), so finds them.
    assert link in found(client, make_role_user("employee"), "利群")
    # A retailer searches the extranet's index, which holds no staff product pages.
    set_face(settings, "extranet")
    retailer = make_role_user("retailer")
    client.force_login(retailer)
    assert "/sales/products/" not in client.get("/search/", {"q": "利群"}).content.decode()


def test_a_received_notice_is_found_by_its_recipient_only(client, intranet, indexed):
    recipient = EmployeeFactory().user
    bystander = EmployeeFactory().user
    with indexed():
        notice = NoticeFactory(subject="年终安全检查通知", body_html="<p>各科室自查消防器材。</p>")
        NoticeDeliveryFactory(notice=notice, recipient=recipient)
        draft = NoticeFactory(subject="消防演练草稿", status="draft", sent_at=None)
        NoticeDeliveryFactory(notice=draft, recipient=recipient)
    link = f'href="/notices/{notice.pk}/"'
    assert link in found(client, recipient, "消防")
    assert f'href="/notices/{draft.pk}/"' not in found(client, recipient, "消防")
    assert link not in found(client, bystander, "消防")


def test_a_discussion_result_opens_the_discussion_not_its_forum_topic(client, intranet, indexed):
    from bulletins.services import discussion_open
    from tests.factories.bulletins import board_of

    department = DepartmentFactory(code="sales", name="销售科")
    reader = EmployeeFactory(department=department).user
    now = timezone.now()
    with indexed():
        discussion = discussion_open(
            board=board_of(department),
            actor=None,
            question="如何节约用电？",
            background="车间电费上涨，请提建议。",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
        )
    listing = found(client, reader, "电费")
    assert f'href="/bulletins/discussions/{discussion.pk}/"' in listing
    assert "/forum/" not in listing
