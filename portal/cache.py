"""The Redis cache backend of production: Django's own, keeping one client per connection pool.

Django's client builds a new `redis.Redis` for every cache operation, and with it a table of
some 170 response callbacks: about a fifth of a millisecond of CPU each time, on every session
read and cached fragment. A `redis.Redis` is safe to share between threads (it takes a
connection from its pool for each command), so one per pool serves them all.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
