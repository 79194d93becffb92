"""Interface for other apps: where a topic on a board another app runs is read.

A topic of such a board (a bulletins discussion, say) is locked in the forum and has its own
page in the owning app; a link to one of its posts (a search result) goes to that page, not to
the forum's. The owning app registers, once at start-up::

    topic_links_register(owner_app="bulletins", resolve=discussion_urls)

where `resolve(topic_ids) -> {topic_id: url}` answers for many topics in one query.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

_RESOLVERS: dict[str, Callable[[list[int]], dict[int, str]]] = {}


def topic_links_register(*, owner_app: str, resolve: Callable[[list[int]], dict[int, str]]):
    _RESOLVERS[owner_app] = resolve


def owned_topic_urls(topics: Iterable) -> dict[int, str]:
    """{topic id: url in the owning app} for the topics (with `board` loaded) of boards other
    apps run and that app can place; one call per owning app."""
    by_owner = defaultdict(list)
    for topic in topics:
        owner = topic.board.owner_app
        if owner and owner in _RESOLVERS:
            by_owner[owner].append(topic.pk)
    urls = {}
    for owner, topic_ids in by_owner.items():
        urls.update(_RESOLVERS[owner](sorted(set(topic_ids))))
    return urls
