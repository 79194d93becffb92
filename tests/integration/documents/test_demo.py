"""The documents' demo data: documents across years and departments, a restricted one with a
department grant, a superseded chain, reports on their way; idempotent."""

import pytest
from django.core.management import call_command

from documents.circulation.models import CircularReport, ReportType
from documents.register.models import DepartmentGrant, PolicyDocument

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(PolicyDocument.objects.order_by("pk").values_list("year", "sequence", "status")),
        list(CircularReport.objects.order_by("pk").values_list("title", "status")),
    )


def test_seed_demo_adds_documents_and_reports_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", verbosity=0)
        first = snapshot()
        call_command("seed_demo", verbosity=0)
    assert snapshot() == first
    assert PolicyDocument.objects.values("year").distinct().count() == 3
    assert PolicyDocument.objects.values("issuing_department").distinct().count() == 4
    assert PolicyDocument.objects.filter(status="superseded").get().superseded_by is not None
    restricted = PolicyDocument.objects.get(is_restricted=True)
    assert DepartmentGrant.objects.filter(document=restricted).count() == 2
    assert ReportType.objects.count() == 14
    statuses = set(CircularReport.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "sent", "accepted", "returned"} <= statuses
