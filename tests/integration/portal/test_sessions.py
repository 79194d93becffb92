"""The session engine (portal/sessions.py): an existing session is saved with one UPDATE, into
the database and the cache; a session deleted meanwhile is not brought back."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.sessions import SessionStore
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.factories.people import RetailerLoginFactory

pytestmark = pytest.mark.django_db


def stored(session_key):
    """The session's data as the database row holds it (not the cache)."""
    return SessionStore().decode(Session.objects.get(session_key=session_key).session_data)


# Outside a test's transaction, as in a request: inside one, Django's way is taken.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_session_is_saved_with_one_update():
    session = SessionStore()
    session["cart"] = {"1": 2}
    session.save()  # created the usual way
    key = session.session_key
    session = SessionStore(key)
    session["cart"] = {"1": 2, "7": 5}
    with CaptureQueriesContext(connection) as queries:
        session.save()
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 1 and statements[0].startswith('UPDATE "django_session"')
    assert stored(key)["cart"] == {"1": 2, "7": 5}
    assert cache.get(session.cache_key)["cart"] == {"1": 2, "7": 5}
    assert abs(Session.objects.get(session_key=key).expire_date - session.get_expiry_date()) < (
        timedelta(seconds=5)
    )


def test_a_session_deleted_meanwhile_is_not_saved_back():
    session = SessionStore()
    session["cart"] = {"1": 2}
    session.save()
    key = session.session_key
    SessionStore(key).delete()  # signed out in another tab
    session["cart"] = {"1": 3}
    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.filter(session_key=key).exists()


def test_inside_a_transaction_the_session_is_saved_djangos_way():
    session = SessionStore()
    session.save()
    session["seen"] = True
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        session.save()
    assert any("SAVEPOINT" in query["sql"] for query in queries.captured_queries)
    assert stored(session.session_key)["seen"] is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cart_is_kept_in_the_database_through_the_engine(client, extranet, settings):
    settings.SESSION_ENGINE = "portal.sessions"
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory(grade=8))
    client.force_login(login.user)
    product = ProductFactory(stock=50)
    response = client.post(reverse("shop:cart_add"), {"product": product.pk, "quantity": 4})
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert str(product.pk) in str(stored(key))
    cache.clear()  # read back from the database alone
    assert 'data-testid="cart-count">1<' in client.get("/shop/cart/").content.decode()
