"""The PostgreSQL backend (portal/postgresql/base.py) skips the health check's round trip on a
connection that answered less than a second ago, checks an older one as Django does, and
replaces a connection the server dropped."""

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

from portal.postgresql import base

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def wrapper(monkeypatch):
    """A connection of its own, persistent and health-checked as in production, counting its
    health checks."""
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    own = type(connections[DEFAULT_DB_ALIAS])(settings, alias=DEFAULT_DB_ALIAS)
    own.checks = 0
    is_usable = own.is_usable

    def counted():
        own.checks += 1
        return is_usable()

    monkeypatch.setattr(own, "is_usable", counted)
    yield own
    own.close()


def request(wrapper):
    """What a request does with the connection: Django's start and end hooks around a query."""
    wrapper.close_if_unusable_or_obsolete()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 2")
            return cursor.fetchone()[0]
    finally:
        wrapper.close_if_unusable_or_obsolete()


def age(wrapper, seconds):
    wrapper.answered_at -= seconds


def kill(wrapper):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [wrapper.connection.info.backend_pid])


def test_the_engine_is_the_portals():
    assert type(connections[DEFAULT_DB_ALIAS]).__module__ == "portal.postgresql.base"


def test_a_connection_that_just_answered_is_not_checked_again(wrapper):
    assert request(wrapper) == 2  # a new connection: no check
    pid = wrapper.connection.info.backend_pid
    for _ in range(3):
        assert request(wrapper) == 2
    assert wrapper.checks == 0
    assert wrapper.connection.info.backend_pid == pid  # the same connection throughout


def test_an_idle_connection_is_checked_as_django_does(wrapper):
    request(wrapper)
    age(wrapper, base.RECENT_SECONDS + 0.5)
    assert request(wrapper) == 2
    assert wrapper.checks == 1


def test_a_connection_dropped_by_the_server_while_idle_is_replaced(wrapper):
    request(wrapper)
    pid = wrapper.connection.info.backend_pid
    kill(wrapper)
    age(wrapper, base.RECENT_SECONDS + 0.5)
    assert request(wrapper) == 2  # the check found it dead and a new one answered
    assert wrapper.connection.info.backend_pid != pid


def test_a_connection_dropped_within_the_second_fails_one_request_then_is_replaced(wrapper):
    """The price of skipping the check: as the requests in flight when the server goes away."""
    request(wrapper)
    kill(wrapper)
    with pytest.raises(OperationalError):
        request(wrapper)
    assert request(wrapper) == 2
