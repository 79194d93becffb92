"""The change history of the staff's retailer page names the changed fields by their labels,
in the reader's language, and reads a value with choices as its choice's label."""

import pytest
from django.urls import reverse

from extranet.crm.services import retailer_update
from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory

pytestmark = pytest.mark.django_db


def test_the_history_names_changed_fields_by_their_chinese_labels(client, intranet):
    manager = make_role_user("account_manager")
    retailer = OrderingRetailerFactory(
        account_manager=manager.employee, support_score=5, settlement="cash"
    )
    retailer_update(
        retailer=retailer,
        actor=manager,
        changes={"support_score": 8, "settlement": "credit"},
        group="dynamic",
    )
    client.force_login(manager)
    page = client.get(
        reverse("sales:retailer", args=[retailer.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "对公司政策的支持度 5 → 8" in page
    assert "结算方式 货到付款 → 信用结算" in page
    assert "support_score" not in page
    assert "settlement cash" not in page
