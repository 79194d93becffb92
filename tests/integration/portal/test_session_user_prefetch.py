"""A session this process has read before is read with its user's cached values, in one round
trip to the cache (portal/sessions.py, portal/user_cache.py), and what that read brings is
used only by the request that made it, only for that session's user, only while current."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_started

from portal import user_cache
from portal.sessions import SessionStore
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine(settings, intranet):
    settings.SESSION_ENGINE = "portal.sessions"
    cache.clear()
    user_cache._session_users.clear()
    return settings


@pytest.fixture
def round_trips(monkeypatch):
    """The keys of each read of the cache, one list per round trip (the local memory cache's
    get_many reads key by key: those reads are one round trip of a shared cache)."""
    reads = []
    inside = []
    get, get_many = LocMemCache.get, LocMemCache.get_many

    def counting_get(self, key, *args, **kwargs):
        if not inside:
            reads.append([key])
        return get(self, key, *args, **kwargs)

    def counting_get_many(self, keys, *args, **kwargs):
        reads.append(list(keys))
        inside.append(True)
        try:
            return get_many(self, keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(LocMemCache, "get", counting_get)
    monkeypatch.setattr(LocMemCache, "get_many", counting_get_many)
    return reads


def signed_in(client):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    return employee


def test_a_known_session_and_its_user_come_in_one_round_trip(client, engine, round_trips):
    employee = signed_in(client)
    assert client.get("/directory/").status_code == 200  # learns whose session it is
    round_trips.clear()
    response = client.get("/directory/")
    assert response.status_code == 200
    assert employee.user.display_name in response.content.decode()
    session_key = client.cookies[engine.SESSION_COOKIE_NAME].value
    together = [keys for keys in round_trips if any(session_key in key for key in keys)]
    assert len(together) == 1
    assert f"portal:user:{employee.user_id}" in together[0]
    # No second round trip for the user.
    assert not any(
        f"portal:user:{employee.user_id}" in keys for keys in round_trips if keys != together[0]
    )


def test_a_deactivated_user_is_signed_out_at_the_next_request(client, engine):
    employee = signed_in(client)
    assert client.get("/directory/").status_code == 200
    assert client.get("/directory/").status_code == 200
    employee.user.is_active = False
    employee.user.save()
    response = client.get("/directory/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_renamed_user_is_seen_at_the_next_request(client, engine):
    employee = signed_in(client)
    client.get("/directory/")
    client.get("/directory/")
    employee.name = "改名后的员工"
    employee.save()
    assert "改名后的员工" in client.get("/directory/").content.decode()


def test_what_a_request_read_is_not_used_by_the_next_one(client, engine, round_trips):
    employee = signed_in(client)
    client.get("/directory/")
    session_key = client.cookies[engine.SESSION_COOKIE_NAME].value
    SessionStore(session_key).load()  # read with the user's values, the user not asked for
    assert user_cache._prefetched.get() is not None
    request_started.send(sender=None)  # the next request begins
    assert user_cache._prefetched.get() is None
    round_trips.clear()
    user_cache.user_cached(employee.user_id, lambda user_id: None)
    assert round_trips == [user_cache._keys(str(employee.user_id))]


def test_a_wrong_guess_of_whose_session_it_is_reads_the_right_user(client, engine):
    employee, other = signed_in(client), EmployeeFactory()
    client.get("/directory/")
    session_key = client.cookies[engine.SESSION_COOKIE_NAME].value
    client.get("/directory/")  # the other user's values now cached too
    client.force_login(other.user)
    client.get("/directory/")
    client.force_login(employee.user)
    user_cache._session_users[client.cookies[engine.SESSION_COOKIE_NAME].value] = str(other.user_id)
    response = client.get("/directory/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == employee.user_id
    assert session_key  # the first session was read the ordinary way
