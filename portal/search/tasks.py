"""The background task that writes the search indexes, run by `python -m portal db_worker`."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from whoosh.index import LockError

from portal.search.services import search_index_sync

logger = logging.getLogger(__name__)


def _describe(items) -> str:
    shown = ", ".join(f"{label}:{pk}" for label, pk in items[:20])
    return shown + (f" and {len(items) - 20} more" if len(items) > 20 else "")


def retry_delay(attempt: int) -> float:
    """Seconds to wait before attempt `attempt + 1`: doubling from SEARCH_INDEX_RETRY_DELAY."""
    return settings.SEARCH_INDEX_RETRY_DELAY * 2 ** (attempt - 1)


@task(queue_name="search")
def update_search_index(items: list[list[str]], attempt: int = 1) -> dict:
    """Bring the indexes in step with the database for `items` ([model label, pk] pairs).

    Whoosh allows one writer; when the write lock stays taken (a `rebuild_index` running, say),
    the task queues itself again to run later, up to SEARCH_INDEX_RETRIES times, logging each
    time. The last attempt raises, so the task is recorded as failed and the error logged, and
    any other error raises at once: an index update is never dropped without a trace.
    """
    try:
        return search_index_sync(items=items)
    except LockError:
        retries = settings.SEARCH_INDEX_RETRIES
        if attempt > retries:
            logger.error(
                "Search index still locked after %d attempts; update failed: %s",
                attempt,
                _describe(items),
            )
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "Search index locked (attempt %d of %d); retrying in %.0f s: %s",
            attempt,
            retries + 1,
            delay,
            _describe(items),
        )
        update_search_index.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            items=items, attempt=attempt + 1
        )
        return {"retry": attempt + 1}
    except Exception:
        logger.exception("Search index update failed: %s", _describe(items))
        raise
