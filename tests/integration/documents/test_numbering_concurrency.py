"""Document numbering under real concurrency, on PostgreSQL (row locks): managers registering
documents of the same department and year at once get distinct, consecutive numbers."""

import pytest
from django.db import connection

from documents.register.models import PolicyDocument
from documents.register.services import document_register
from portal.permissions import Role
from tests.concurrency import race
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 12


def test_managers_registering_at_once_get_distinct_consecutive_numbers():
    assert connection.vendor == "postgresql"
    office = DepartmentFactory(code="numbering-office")
    other = DepartmentFactory(code="numbering-other")
    managers = [
        EmployeeFactory(department=office, user=UserFactory(roles=[Role.DOCUMENT_MANAGER])).user
        for _ in range(THREADS)
    ]
    # An earlier number of the year, and one of another department that must not count.
    document_register(
        actor=managers[0],
        issuing_department=office,
        number_prefix="厂办",
        year=2026,
        title="已有",
        level="factory",
    )
    document_register(
        actor=managers[0],
        issuing_department=other,
        number_prefix="其他",
        year=2026,
        sequence=40,
        title="别的部门",
        level="factory",
    )

    def register(index):
        document = document_register(
            actor=managers[index],
            issuing_department=office,
            number_prefix="厂办",
            year=2026,
            title=f"并发登记{index}",
            level="factory",
        )
        return document.sequence

    results, errors = race(THREADS, register)
    assert errors == []
    assert sorted(results) == list(range(2, THREADS + 2))
    stored = PolicyDocument.objects.filter(issuing_department=office, year=2026)
    assert sorted(stored.values_list("sequence", flat=True)) == list(range(1, THREADS + 2))
