"""Writes to the search indexes. Only the search task writes (one worker, one Whoosh writer at a
time); everything else asks for an update with `search_index_sync_later()`."""

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction
from haystack import connections
from haystack.exceptions import NotHandled

from portal.search.registry import connections_for_model

logger = logging.getLogger(__name__)

# How many objects one task handles, and one index write holds.
CHUNK_SIZE = 500


def search_index_sync(*, items: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Make every face's index agree with the database about the objects `items` names, as
    (model label, primary key) pairs: an object the face's `index_queryset()` holds is
    written, any other (deleted, unpublished, moved to the other face) is removed.

    Reads the current state, not the change that queued it, so running it twice, late or out
    of order gives the same index. Raises when a write fails (a held lock: `LockError`).
    """
    by_model = defaultdict(set)
    for label, pk in items:
        by_model[label].add(str(pk))
    counts = {"updated": 0, "removed": 0}
    for label, pks in sorted(by_model.items()):
        try:
            model = apps.get_model(label)
        except LookupError:
            logger.warning("Search index update for unknown model %s skipped", label)
            continue
        for alias in connections_for_model(model):
            try:
                index = connections[alias].get_unified_index().get_index(model)
            except NotHandled:
                continue
            backend = connections[alias].get_backend()
            ordered = sorted(pks)
            for start in range(0, len(ordered), CHUNK_SIZE):
                chunk = ordered[start : start + CHUNK_SIZE]
                present = list(index.index_queryset(using=alias).filter(pk__in=chunk))
                if present:
                    backend.update(index, present)
                    counts["updated"] += len(present)
                kept = {str(obj.pk) for obj in present}
                for pk in chunk:
                    if pk not in kept:
                        backend.remove(f"{model._meta.label_lower}.{pk}")
                        counts["removed"] += 1
    return counts


# Per thread and database: objects changed since the last flush. Every change also registers a
# flush for when its transaction commits; the first flush to run takes everything noted so far,
# so a transaction's changes become one task and the flushes after it find nothing to do. Notes
# of a rolled back transaction are swept up by the next flush: a harmless extra check, since the
# task reads what the database holds.
_changed = threading.local()


def _noted(using: str) -> set[tuple[str, str]]:
    noted = getattr(_changed, using, None)
    if noted is None:
        noted = set()
        setattr(_changed, using, noted)
    return noted


def _flush(using: str) -> None:
    from portal.search.tasks import update_search_index

    noted = _noted(using)
    items = sorted(noted)
    noted.clear()
    for start in range(0, len(items), CHUNK_SIZE):
        chunk = [list(item) for item in items[start : start + CHUNK_SIZE]]
        try:
            update_search_index.enqueue(items=chunk)
        except DatabaseError:
            # The change itself is committed; only its index update is lost. Say so loudly:
            # `rebuild_index` brings the index back in step.
            logger.exception("Could not queue the search index update of %s", chunk)


def search_index_sync_later(*, model_label: str, pk, using: str = "default") -> None:
    """Queue an index update of one object for when the current transaction commits (at once
    outside a transaction). The changes of a transaction go into one task, each object once,
    however many signals named it. A rolled back change queues no task of its own.

    With SEARCH_QUEUE_UPDATES off (a bulk load followed by `rebuild_index`) nothing is queued.
    """
    if not settings.SEARCH_QUEUE_UPDATES:
        return
    _noted(using).add((model_label, str(pk)))
    transaction.on_commit(partial(_flush, using), using=using)
