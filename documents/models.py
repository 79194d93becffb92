"""The models of the documents app, defined in its two parts and imported here so that Django
registers them: the register (`documents.register.models`) and report circulation
(`documents.circulation.models`)."""

from documents.circulation.models import (
    CircularReport,
    ReportAttachment,
    ReportNotification,
    ReportStep,
    ReportType,
)
from documents.register.models import (
    Acknowledgement,
    Category,
    DepartmentGrant,
    DocumentFile,
    PolicyDocument,
    PolicyDocumentGroupObjectPermission,
    PolicyDocumentUserObjectPermission,
)

__all__ = [
    "Acknowledgement",
    "Category",
    "CircularReport",
    "DepartmentGrant",
    "DocumentFile",
    "PolicyDocument",
    "PolicyDocumentGroupObjectPermission",
    "PolicyDocumentUserObjectPermission",
    "ReportAttachment",
    "ReportNotification",
    "ReportStep",
    "ReportType",
]
