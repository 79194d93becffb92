"""Access-matrix rows of the directory and mass notices (portal).

route (as the URL configuration spells it) → (a URL to request, or a function of no arguments
that makes the objects the URL needs and returns it; outcomes by role). The outcomes and row
builders are in tests/access.py.

Notices made here belong to someone outside the matrix's users: an employee who is neither
their sender nor a recipient gets 404 (the notice's existence is private); a system
administrator (the superuser) sees sent notices with their delivery status, never drafts.
"""

from tests.access import AWAY, DENIED, MISSING, OK, intranet_row

NOT_ALLOWED = "405"


def _person():
    from tests.factories.people import EmployeeFactory

    return f"/directory/people/{EmployeeFactory().pk}/"


def _person_vcard():
    return _person() + "vcard/"


def _department():
    from tests.factories.people import DepartmentFactory

    return f"/directory/departments/{DepartmentFactory().code}/"


def _sent_notice():
    from tests.factories.notices import NoticeDeliveryFactory

    return f"/notices/{NoticeDeliveryFactory().notice.pk}/"


def _draft_notice():
    from portal.notices.models import Notice
    from tests.factories.notices import NoticeFactory

    return f"/notices/{NoticeFactory(status=Notice.Status.DRAFT, sent_at=None).pk}/"


def _attachment():
    from tests.factories.notices import NoticeAttachmentFactory, NoticeDeliveryFactory

    attachment = NoticeAttachmentFactory()
    NoticeDeliveryFactory(notice=attachment.notice)
    return f"/notices/{attachment.notice_id}/attachments/{attachment.pk}/"


ADMIN_ONLY = intranet_row(employees=DENIED, superuser=OK)
SENT_NOTICE = intranet_row(employees=MISSING, superuser=OK)

INTRANET = {
    "directory/": ("/directory/", intranet_row()),
    "directory/results/": ("/directory/results/?q=zw", intranet_row()),
    "directory/people/<int:pk>/": (_person, intranet_row()),
    "directory/people/<int:pk>/vcard/": (_person_vcard, intranet_row()),
    "directory/departments/<slug:code>/": (_department, intranet_row()),
    "directory/export.<str:fmt>": ("/directory/export.csv", intranet_row()),
    "directory/import/": ("/directory/import/", ADMIN_ONLY),
    "directory/import/template/": ("/directory/import/template/", ADMIN_ONLY),
    # Without a sheet uploaded first, the administrator is sent back to the upload.
    "directory/import/preview/": (
        "/directory/import/preview/",
        intranet_row(employees=DENIED, superuser=AWAY),
    ),
    "directory/import/confirm/": (
        "/directory/import/confirm/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    "notices/": ("/notices/", intranet_row()),
    "notices/sent/": ("/notices/sent/", intranet_row()),
    # Department heads send to their own department; the others are told who may send.
    "notices/new/": (
        "/notices/new/",
        intranet_row(employees=DENIED, department_head=OK, superuser=OK),
    ),
    "notices/<int:pk>/": (_sent_notice, SENT_NOTICE),
    "notices/<int:pk>/confirm/": (
        lambda: _draft_notice() + "confirm/",
        intranet_row(employees=MISSING),
    ),
    # A draft is edited by its author alone: for everyone else it does not exist.
    "notices/<int:pk>/edit/": (
        lambda: _draft_notice() + "edit/",
        intranet_row(employees=MISSING),
    ),
    "notices/<int:pk>/discard/": (
        lambda: _draft_notice() + "discard/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    "notices/<int:pk>/progress/": (lambda: _sent_notice() + "progress/", SENT_NOTICE),
    "notices/<int:pk>/attachments/<int:attachment_pk>/": (_attachment, SENT_NOTICE),
}

EXTRANET = {}
