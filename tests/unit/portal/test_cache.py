"""The production Redis cache keeps one client per connection pool instead of building one for
every operation; it still talks to a real Redis (the one the services run on this machine)."""

import uuid

import pytest

from bench.prepare import redis_answers
from portal.cache import PortalRedisCache

REDIS_URL = "redis://127.0.0.1:6379/11"


def test_one_client_serves_every_operation():
    cache = PortalRedisCache(REDIS_URL, {})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("any key") is client


@pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_values_round_trip_through_the_shared_client():
    cache = PortalRedisCache(REDIS_URL, {})
    key = f"test:{uuid.uuid4()}"
    cache.set(key, {"部门": [1, 2]}, 30)
    assert cache.get(key) == {"部门": [1, 2]}
    assert cache.get_many([key, key + ":none"]) == {key: {"部门": [1, 2]}}
    cache.delete(key)
    assert cache.get(key) is None
