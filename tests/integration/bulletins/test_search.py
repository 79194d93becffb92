"""Notices are a search kind, shown only to their audience."""

import pytest

from tests.factories.bulletins import NoticeFactory
from tests.factories.people import EmployeeFactory
from tests.integration.portal.search.conftest import empty_indexes, indexed, search_worker  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_notice_is_found_by_its_audience_only(
    client, intranet, sales, quality, sales_board, request
):
    with request.getfixturevalue("indexed")():
        NoticeFactory(
            board=sales_board,
            title="Firedrill 演练",
            body="<p>zebracrossing</p>",
            departments=[sales],
        )
    client.force_login(EmployeeFactory(department=sales).user)
    found = client.get("/search/?q=zebracrossing").content.decode()
    assert "Firedrill 演练" in found
    assert "kind=notices" in found
    client.force_login(EmployeeFactory(department=quality).user)
    assert "Firedrill 演练" not in client.get("/search/?q=zebracrossing").content.decode()
