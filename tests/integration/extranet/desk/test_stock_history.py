"""A product's recent stock changes read with one written-out statement
(extranet.desk.stock_history): the ORM's `stock_history` entries, their actors named by the
audit log's rule, and the rows written as the template's loop wrote them."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from extranet.catalogue.models import Product
from extranet.catalogue.selectors import stock_history
from extranet.catalogue.services import stock_adjust
from extranet.desk.stock_history import stock_changes
from extranet.desk.tables import stock_change_rows
from portal.models import AuditEntry
from tests.conftest import make_role_user
from tests.factories.extranet import ProductFactory
from tests.factories.people import UserFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db

# The loop stock_adjust.html wrote before `stock_change_rows`.
HISTORY_LOOP = (
    '{% for entry in history %}<tr><td>{{ entry.created_at|date:"DATETIME_FORMAT" }}</td>'
    "<td>{{ entry.actor_name }}</td><td>{{ entry.data.old }}</td><td>{{ entry.data.new }}</td>"
    "<td>{{ entry.reason }}</td></tr>{% endfor %}"
)


@pytest.fixture
def product():
    """A product changed by the system, an employee, a retailer's login, a user without a
    name and an employee-kind user without a directory entry, some at the same moment."""
    product = ProductFactory(stock=10)
    manager = make_role_user("sales_administrator")
    stock_adjust(product=product, reason="到货 <50> & more", actor=manager, delta=50)
    stock_adjust(product=product, reason="盘点", actor=None, counted=55)
    retailer = make_role_user("retailer")
    retailer.first_name, retailer.last_name = "西湖烟酒店", ""
    retailer.save()
    unnamed = UserFactory(kind="retailer", first_name="", last_name="")
    lonely = UserFactory(first_name="Ann", last_name="Lee")
    moment = timezone.now() + timedelta(minutes=5)
    target = ContentType.objects.get_for_model(Product)
    for index, actor in enumerate([retailer, unnamed, lonely, retailer]):
        AuditEntry.objects.create(
            actor=actor,
            action="stock.adjusted",
            target_type=target,
            target_id=str(product.pk),
            reason=f"reason {index}",
            data={"old": index, "new": None} if index != 2 else {"delta": 1},
            created_at=moment,
        )
    AuditEntry.objects.create(
        actor=None, action="stock.counted", target_type=target, target_id=str(product.pk)
    )
    AuditEntry.objects.create(
        action="stock.adjusted", target_type=target, target_id=str(ProductFactory().pk)
    )
    return product


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_stock_changes_are_the_orm_history_and_rows_the_templates(product, language):
    with translation.override(language):
        for limit in (20, 3):
            expected = stock_history(product=product, limit=limit)
            changes = stock_changes(product=product, limit=limit)
            assert [
                (entry.created_at, entry.actor_name(), entry.data, entry.reason)
                for entry in expected
            ] == [
                (change["created_at"], change["actor_name"], change["data"], change["reason"])
                for change in changes
            ]
            html = Template(HISTORY_LOOP).render(Context({"history": expected}))
            assert stock_change_rows(changes) == html
    with translation.override("en"):
        names = {change["actor_name"] for change in stock_changes(product=product)}
    assert {"西湖烟酒店", "Ann Lee", "An unnamed user", "The system"} <= names
    assert len(stock_changes(product=product)) == 6


def test_stock_page_reads_its_history_in_one_statement_at_any_size(client, intranet):
    administrator = make_role_user("sales_administrator")
    client.force_login(administrator)
    product = ProductFactory(stock=10)
    url = reverse("sales:stock_adjust", args=[product.pk])

    def grow(size):
        for index in range(size):
            stock_adjust(product=product, reason=f"到货 {index}", actor=administrator, delta=1)

    assert_bounded_queries(client, url, grow, max_queries=8)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    audit = [query["sql"] for query in queries if "portal_auditentry" in query["sql"]]
    assert len(audit) == 1 and '"portal_auditentry" a ' in audit[0]
    assert html.count("<td>到货 ") == 20
