"""Fixtures of the knowledge base's tests: empty search indexes, the worker run in-process."""

from contextlib import contextmanager

import pytest

from portal.search import services
from tests.integration.portal.search.conftest import clear_indexes
from tests.worker import run_worker


@pytest.fixture(autouse=True)
def empty_indexes(db):
    services._changed.__dict__.clear()
    clear_indexes()
    yield
    clear_indexes()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): do things` — run their on-commit callbacks, then every queued task
    (search index updates, text extraction, mail) with the real worker."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        # A task may queue more work when its own transaction commits (text extraction asks
        # for an index update): a few rounds, each committing what the last one queued.
        for _round in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                run_worker()

    return run


@pytest.fixture
def editor(db):
    from tests.conftest import make_role_user

    return make_role_user("knowledge_editor")


@pytest.fixture
def author(db):
    from tests.conftest import make_role_user

    return make_role_user("employee")
