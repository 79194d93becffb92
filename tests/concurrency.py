"""The harness of the concurrency tests (PostgreSQL, `django_db(transaction=True)`): threads,
each with its own database connection, released at the same moment to race for the same rows."""

import threading

from django.db import connections


def race(count, work, *, timeout=60):
    """Run work(index) for every index in range(count), each in its own thread, all released
    together by a barrier. Returns (results, errors): results[index] is what work(index)
    returned (None when it raised); errors are the exceptions raised, in the order they
    happened. Each thread closes its database connections when it ends, so that the test's
    flush afterwards is not blocked by a connection left open."""
    barrier = threading.Barrier(count, timeout=timeout)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 — returned to the test, which asserts on it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
