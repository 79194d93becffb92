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


@pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_installations_sharing_redis_do_not_read_each_others_keys():
    """CACHE_KEY_PREFIX: the bench's two scales (or two installations) on one Redis database
    keep apart the user cached under the same id, a generation, a kept fragment."""
    key = f"portal:user:{uuid.uuid4()}"
    small = PortalRedisCache(REDIS_URL, {"KEY_PREFIX": "bench-small"})
    full = PortalRedisCache(REDIS_URL, {"KEY_PREFIX": "bench-full"})
    small.set(key, "small's user", 30)
    assert full.get(key) is None
    full.set(key, "full's user", 30)
    assert small.get(key) == "small's user"
    assert full.get_many([key]) == {key: "full's user"}
    small.delete(key)
    full.delete(key)


def test_the_bench_gives_each_database_its_own_cache_prefix(monkeypatch):
    from bench.prepare import bench_environment

    monkeypatch.delenv("CACHE_KEY_PREFIX", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/speedfloor")
    floor = bench_environment("small")["CACHE_KEY_PREFIX"]
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchfull")
    assert bench_environment("full")["CACHE_KEY_PREFIX"] not in {floor, ""}
    monkeypatch.delenv("DATABASE_URL")
    assert (
        bench_environment("small")["CACHE_KEY_PREFIX"]
        != bench_environment("full")["CACHE_KEY_PREFIX"]
    )
