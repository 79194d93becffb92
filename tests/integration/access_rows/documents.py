"""Access-matrix rows of policy documents and report circulation.

route (as the URL configuration spells it) → (a URL to request, or a function of no arguments
that makes the objects the URL needs and returns it; outcomes by role). The outcomes and row
builders are in tests/access.py.

The users of the matrix hold a role but head no department and belong to a department of their
own, so a restricted document and a report of another department answer 404 to them; document
managers and the superuser (a system administrator) see the whole register.
"""

from tests.access import MISSING, OK, intranet_row

NOT_POST = "405"
MANAGERS = {"document_manager": OK, "superuser": OK}


def _document(**kwargs):
    from tests.factories.documents import PolicyDocumentFactory

    return PolicyDocumentFactory(**kwargs)


def _restricted_file_url():
    from tests.factories.documents import DocumentFileFactory

    stored = DocumentFileFactory(document=_document(is_restricted=True))
    return f"/documents/{stored.document_id}/files/{stored.pk}/"


def _report(**kwargs):
    from tests.factories.documents import CircularReportFactory

    return CircularReportFactory(**kwargs)


def _report_attachment_url():
    from django.core.files.base import ContentFile

    from documents.circulation.models import ReportAttachment

    report = _report()
    attachment = ReportAttachment.objects.create(
        report=report, file=ContentFile(b"x", name="a.txt"), original_name="a.txt", size=1
    )
    return f"/documents/reports/{report.pk}/attachments/{attachment.pk}/"


INTRANET = {
    "documents/": ("/documents/", intranet_row()),
    "documents/new/": ("/documents/new/", intranet_row(employees=MISSING, **MANAGERS)),
    "documents/<int:pk>/": (
        lambda: f"/documents/{_document(is_restricted=True).pk}/",
        intranet_row(employees=MISSING, **MANAGERS),
    ),
    "documents/<int:pk>/edit/": (
        lambda: f"/documents/{_document().pk}/edit/",
        intranet_row(employees=MISSING, **MANAGERS),
    ),
    "documents/<int:pk>/publish/": (
        lambda: f"/documents/{_document(status='draft').pk}/publish/",
        intranet_row(employees=NOT_POST),
    ),
    "documents/<int:pk>/repeal/": (
        lambda: f"/documents/{_document().pk}/repeal/",
        intranet_row(employees=MISSING, **MANAGERS),
    ),
    "documents/<int:pk>/files/": (
        lambda: f"/documents/{_document().pk}/files/",
        intranet_row(employees=NOT_POST),
    ),
    "documents/<int:pk>/files/<int:file_pk>/": (
        _restricted_file_url,
        intranet_row(employees=MISSING, **MANAGERS),
    ),
    "documents/<int:pk>/access/": (
        lambda: f"/documents/{_document(is_restricted=True).pk}/access/",
        intranet_row(employees=MISSING, superuser=OK),
    ),
    "documents/<int:pk>/access/revoke/": (
        lambda: f"/documents/{_document(is_restricted=True).pk}/access/revoke/",
        intranet_row(employees=NOT_POST),
    ),
    "documents/<int:pk>/acknowledge/": (
        lambda: f"/documents/{_document(requires_acknowledgement=True).pk}/acknowledge/",
        intranet_row(employees=NOT_POST),
    ),
    "documents/<int:pk>/acknowledgements/": (
        lambda: f"/documents/{_document(requires_acknowledgement=True).pk}/acknowledgements/",
        intranet_row(employees=MISSING, **MANAGERS),
    ),
    "documents/<int:pk>/acknowledgements.xlsx": (
        lambda: f"/documents/{_document(requires_acknowledgement=True).pk}/acknowledgements.xlsx",
        intranet_row(employees=MISSING, **MANAGERS),
    ),
    "documents/reports/": ("/documents/reports/", intranet_row()),
    "documents/reports/new/": ("/documents/reports/new/", intranet_row()),
    "documents/reports/notifications/": ("/documents/reports/notifications/", intranet_row()),
    "documents/reports/<int:pk>/": (
        lambda: f"/documents/reports/{_report().pk}/",
        intranet_row(employees=MISSING),
    ),
    "documents/reports/<int:pk>/edit/": (
        lambda: f"/documents/reports/{_report().pk}/edit/",
        intranet_row(employees=MISSING),
    ),
    "documents/reports/<int:pk>/<slug:action>/": (
        lambda: f"/documents/reports/{_report().pk}/submit/",
        intranet_row(employees=NOT_POST),
    ),
    "documents/reports/<int:pk>/attachments/<int:attachment_pk>/": (
        _report_attachment_url,
        intranet_row(employees=MISSING),
    ),
}

EXTRANET = {}
