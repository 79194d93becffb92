"""Generation counters: one cache key whose value names the current version of a group of
cached values. Keys of cached values include the generation; bumping it forgets them all at
once, without knowing which keys exist.

A counter missing from the cache (never set, evicted, cache cleared) is seeded with a value
taken from the clock, never with a small constant: a reseeded counter must not come back to a
generation under which stale values may still be cached.
"""

import time

from django.core.cache import cache
from django.db import transaction


def _seed() -> int:
    return time.time_ns()


class Generation:
    """A named counter: `current()` when building a cache key, `bump()` when the data changes."""

    def __init__(self, key: str):
        self.key = key

    def __repr__(self):
        return f"Generation({self.key!r})"

    def current(self) -> int:
        value = cache.get(self.key)
        if value is None:
            seed = _seed()
            cache.add(self.key, seed, None)
            value = cache.get(self.key, seed)
        return value

    def bump_now(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, _seed(), None)

    def bump(self) -> None:
        """A new generation now and again when the current transaction commits: a reader
        between the two may have cached what it read before the commit."""
        self.bump_now()
        transaction.on_commit(self.bump_now)

    @staticmethod
    def current_many(*generations: "Generation") -> tuple[int, ...]:
        """The current values of several generations in one cache round trip."""
        found = cache.get_many([generation.key for generation in generations])
        return tuple(
            found[generation.key] if generation.key in found else generation.current()
            for generation in generations
        )
