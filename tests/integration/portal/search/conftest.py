"""Fixtures of the search tests: empty indexes per test, the search worker run in-process."""

from contextlib import contextmanager

import pytest
from haystack import connections

from portal.search import services
from tests.worker import run_worker


def clear_indexes():
    for alias in connections.connections_info:
        connections[alias].get_backend().clear()


@pytest.fixture(autouse=True)
def empty_indexes(db):
    """Each test starts and ends with both faces' indexes empty, and with no changes noted by
    earlier tests (whose transactions were rolled back, not committed)."""
    services._changed.__dict__.clear()
    clear_indexes()
    yield
    clear_indexes()


def run_search_worker(*options):
    """Run the task worker on the search queue until no task is ready."""
    run_worker("search", *options)


@pytest.fixture
def search_worker():
    return run_search_worker


@pytest.fixture
def indexed(django_capture_on_commit_callbacks, search_worker):
    """`with indexed(): create things` — commit them and let the worker index them."""

    @contextmanager
    def committed_and_indexed():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        search_worker()

    return committed_and_indexed
