"""Index writes: queued after commit, written by the worker, retried on a held lock, never lost
without a trace, and each object in the index of its own face only."""

import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from haystack import connections
from haystack.query import SearchQuerySet

from portal.models import Employee
from portal.search.backend import ChineseWhooshBackend
from tests.factories.pages import InformationPageFactory, face_home
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


def found(query, alias="default"):
    """(model label, pk) of everything the index of connection `alias` finds for `query`."""
    return {
        (result.model._meta.label_lower, int(result.pk))
        for result in SearchQuerySet(using=alias).auto_query(query)
    }


def search_tasks():
    return DBTaskResult.objects.filter(queue_name="search").order_by("enqueued_at")


def test_a_new_employee_is_searchable_once_the_worker_has_run(
    django_capture_on_commit_callbacks, search_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        employee = EmployeeFactory(name="欧阳娜娜")

    # Queued on commit, not written by the request.
    assert search_tasks().count() == 1
    assert found("欧阳娜娜") == set()

    search_worker()
    assert found("欧阳娜娜") == {("portal.employee", employee.pk)}
    assert search_tasks().get().status == "SUCCESSFUL"


def test_a_deleted_employee_leaves_the_index(indexed):
    with indexed():
        employee = EmployeeFactory(name="欧阳娜娜")
    assert found("欧阳娜娜")

    with indexed():
        user = employee.user
        employee.delete()
        user.delete()
    assert found("欧阳娜娜") == set()


def test_a_changed_name_is_found_under_the_new_name_only(indexed):
    with indexed():
        employee = EmployeeFactory(name="欧阳娜娜")
    with indexed():
        employee.name = "司马光"
        employee.save()
    assert found("司马光") == {("portal.employee", employee.pk)}
    assert found("欧阳娜娜") == set()


def test_a_rolled_back_change_is_never_indexed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                EmployeeFactory(name="欧阳娜娜")
                raise RuntimeError("changed my mind")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not search_tasks().exists()


def test_the_changes_of_one_transaction_become_one_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            employees = EmployeeFactory.create_batch(3)
            employees[0].office = "B202"
            employees[0].save()
    task = search_tasks().get()
    assert sorted(task.args_kwargs["kwargs"]["items"]) == sorted(
        ["portal.employee", str(employee.pk)] for employee in employees
    )


def test_a_page_goes_to_the_index_of_its_own_face_only(indexed):
    with indexed():
        inside = InformationPageFactory(title="食堂开饭时间", face="intranet")
        outside = InformationPageFactory(title="食堂订货须知", face="extranet")

    assert found("食堂") == {("portal.informationpage", inside.pk)}
    assert found("食堂", alias="extranet") == {("portal.informationpage", outside.pk)}


def test_employees_never_land_in_the_extranet_index(indexed):
    with indexed():
        employee = EmployeeFactory(name="欧阳娜娜")
    assert found("欧阳娜娜") == {("portal.employee", employee.pk)}
    assert found("欧阳娜娜", alias="extranet") == set()


def test_unpublishing_removes_a_page_and_publishing_brings_it_back(indexed):
    with indexed():
        page = InformationPageFactory(title="设备的维护规程")
    assert found("设备维护")

    with indexed():
        page.unpublish()
    assert found("设备维护") == set()

    with indexed():
        page.save_revision().publish()
    assert found("设备维护") == {("portal.informationpage", page.pk)}


def test_a_draft_page_is_not_indexed(indexed):
    with indexed():
        page = InformationPageFactory(title="设备的维护规程", live=False)
    assert not page.live
    assert found("设备维护") == set()


def test_a_deleted_page_leaves_the_index(indexed):
    with indexed():
        page = InformationPageFactory(title="设备的维护规程")
    with indexed():
        page.delete()
    assert found("设备维护") == set()


def test_a_page_moved_to_the_extranet_moves_to_its_index_with_its_children(indexed):
    with indexed():
        parent = InformationPageFactory(title="订货指南")
        child = InformationPageFactory(title="订货时间表", parent=parent)
    assert found("订货") == {
        ("portal.informationpage", parent.pk),
        ("portal.informationpage", child.pk),
    }

    with indexed():
        parent.move(face_home("extranet"), pos="last-child")
    assert found("订货") == set()
    assert found("订货", alias="extranet") == {
        ("portal.informationpage", parent.pk),
        ("portal.informationpage", child.pk),
    }


def hold_write_lock(alias="default"):
    """Take Whoosh's write lock as another writer would; returns the lock to release."""
    backend = connections[alias].get_backend()
    if not backend.setup_complete:
        backend.setup()
    lock = backend.index.lock("WRITELOCK")
    assert lock.acquire()
    return lock


@pytest.fixture
def quick_retries(settings):
    settings.SEARCH_INDEX_LOCK_TIMEOUT = 0.05
    settings.SEARCH_INDEX_RETRY_DELAY = 0
    settings.SEARCH_INDEX_RETRIES = 2
    return settings


def test_a_locked_index_is_retried_later_and_the_update_arrives(
    django_capture_on_commit_callbacks, search_worker, quick_retries, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        employee = EmployeeFactory(name="欧阳娜娜")

    lock = hold_write_lock()
    try:
        with caplog.at_level(logging.WARNING, logger="portal.search.tasks"):
            search_worker("--max-tasks", "1")
    finally:
        lock.release()
    assert "Search index locked (attempt 1 of 3)" in caplog.text
    assert found("欧阳娜娜") == set()

    search_worker()
    first, retry = search_tasks()
    assert (first.status, first.return_value) == ("SUCCESSFUL", {"retry": 2})
    assert (retry.status, retry.args_kwargs["kwargs"]["attempt"]) == ("SUCCESSFUL", 2)
    assert found("欧阳娜娜") == {("portal.employee", employee.pk)}


def test_an_update_that_cannot_get_the_lock_fails_loudly_after_the_last_retry(
    django_capture_on_commit_callbacks, search_worker, quick_retries, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        EmployeeFactory(name="欧阳娜娜")

    lock = hold_write_lock()
    try:
        with caplog.at_level(logging.WARNING, logger="portal.search.tasks"):
            search_worker()
    finally:
        lock.release()

    statuses = [task.status for task in search_tasks()]
    assert statuses == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    failed = search_tasks().last()
    assert failed.exception_class_path == "whoosh.index.LockError"
    assert "still locked after 3 attempts" in caplog.text
    assert "portal.employee" in caplog.text


def test_a_failed_removal_raises_instead_of_passing_silently(monkeypatch, indexed):
    with indexed():
        employee = EmployeeFactory(name="欧阳娜娜")

    def broken_delete(self, *args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr("whoosh.writing.SegmentWriter.delete_by_term", broken_delete)
    with indexed():
        Employee.objects.filter(pk=employee.pk).delete()
    failed = search_tasks().last()
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "builtins.OSError"


def test_rebuild_index_fills_each_face_in_batches(monkeypatch):
    employees = EmployeeFactory.create_batch(5)
    inside = InformationPageFactory(title="食堂开饭时间")
    outside = InformationPageFactory(title="食堂订货须知", face="extranet")
    batches = []
    original_update = ChineseWhooshBackend.update

    def counting_update(self, index, iterable, commit=True):
        batches.append((self.connection_alias, index.model._meta.model_name, len(iterable)))
        return original_update(self, index, iterable, commit=commit)

    monkeypatch.setattr(ChineseWhooshBackend, "update", counting_update)
    call_command("rebuild_index", "--noinput", "--batch-size", "2", verbosity=0)

    assert [size for alias, model, size in batches if model == "employee"] == [2, 2, 1]
    assert all(alias == "default" for alias, model, _size in batches if model == "employee")
    assert found("食堂") == {("portal.informationpage", inside.pk)}
    assert found("食堂", alias="extranet") == {("portal.informationpage", outside.pk)}
    assert found(employees[0].employee_number) == {("portal.employee", employees[0].pk)}


def test_a_renamed_department_is_found_under_its_new_name(indexed):
    with indexed():
        employee = EmployeeFactory(name="欧阳娜娜")
    department = employee.department
    with indexed():
        department.name = "卷包车间"
        department.save()
    assert found("卷包车间") == {("portal.employee", employee.pk)}


def test_signing_in_does_not_queue_an_index_update(django_capture_on_commit_callbacks):
    from django.contrib.auth.models import update_last_login

    employee = EmployeeFactory(name="欧阳娜娜")
    with django_capture_on_commit_callbacks(execute=True):
        update_last_login(None, employee.user)
    assert not search_tasks().exists()


def test_a_bulk_load_may_switch_queueing_off(django_capture_on_commit_callbacks, settings):
    settings.SEARCH_QUEUE_UPDATES = False
    with django_capture_on_commit_callbacks(execute=True):
        EmployeeFactory.create_batch(3)
    assert not search_tasks().exists()
