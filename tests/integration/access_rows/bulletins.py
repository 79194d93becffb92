"""Access-matrix rows of bulletin boards.

route (as the URL configuration spells it) → (a URL to request, or a function of no arguments
that makes the objects the URL needs and returns it; outcomes by role). The outcomes and row
builders are in tests/access.py.

The role users of the matrix are nobody's department head nor delegate, so a board's report and
delegates pages answer them 404; only the superuser (system administrator) gets in. A notice
addressed to a department none of them belongs to answers 404 alike.
"""

from tests.access import MISSING, OK, intranet_row

NOT_ALLOWED = "405"


def _board():
    from tests.factories.bulletins import board_of
    from tests.factories.people import DepartmentFactory

    return board_of(DepartmentFactory())


def _relative(page):
    from portal.sites import site_for_face

    return page.relative_url(site_for_face("intranet"))


def _notice(**kwargs):
    from tests.factories.bulletins import NoticeFactory

    return NoticeFactory(board=_board(), must_acknowledge=True, **kwargs)


def _private_notice():
    from tests.factories.people import DepartmentFactory

    return _notice(departments=[DepartmentFactory()])


def _attachment_url():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from bulletins.models import NoticeAttachment

    notice = _notice()
    document = Document.objects.create(title="规程", file=ContentFile(b"%PDF-1.4", "rules.pdf"))
    item = NoticeAttachment.objects.create(notice=notice, document=document)
    return f"/bulletins/notices/{notice.pk}/attachments/{item.pk}/"


def _private_attachment_url():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from bulletins.models import NoticeAttachment

    notice = _private_notice()
    document = Document.objects.create(title="规程", file=ContentFile(b"%PDF-1.4", "rules.pdf"))
    item = NoticeAttachment.objects.create(notice=notice, document=document)
    return f"/bulletins/notices/{notice.pk}/attachments/{item.pk}/"


def _token():
    from bulletins.services import feed_token_for
    from tests.factories.people import EmployeeFactory

    return feed_token_for(user=EmployeeFactory().user).token


def _discussion(board=None):
    from datetime import timedelta

    from django.utils import timezone

    from bulletins.services import discussion_open
    from tests.factories.bulletins import channel

    now = timezone.now()
    return discussion_open(
        board=board or channel(),
        actor=None,
        question="如何节约用电？",
        background="请提建议。",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )


BOARD_OR_NOTICE = "bulletins/^(?P<board_slug>[\\w\\-]+)/(?:(?P<notice_slug>[\\w\\-]+)/)?$"

# Only the superuser manages every board; everyone else signed in is turned away with 404.
MANAGERS_ONLY = intranet_row(employees=MISSING, superuser=OK)

INTRANET = {
    "bulletins/": ("/bulletins/", intranet_row()),
    "bulletins/notices/<int:notice_id>/acknowledge/": (
        lambda: f"/bulletins/notices/{_notice().pk}/acknowledge/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    "bulletins/notices/<int:notice_id>/report/": (
        lambda: f"/bulletins/notices/{_notice().pk}/report/",
        MANAGERS_ONLY,
    ),
    "bulletins/notices/<int:notice_id>/report.xlsx": (
        lambda: f"/bulletins/notices/{_notice().pk}/report.xlsx",
        MANAGERS_ONLY,
    ),
    "bulletins/notices/<int:notice_id>/remind/": (
        lambda: f"/bulletins/notices/{_notice().pk}/remind/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    "bulletins/notices/<int:notice_id>/attachments/<int:attachment_id>/": (
        _attachment_url,
        intranet_row(),
    ),
    "bulletins/boards/<int:board_id>/delegates/": (
        lambda: f"/bulletins/boards/{_board().pk}/delegates/",
        MANAGERS_ONLY,
    ),
    "bulletins/boards/<int:board_id>/delegates/<int:user_id>/remove/": (
        lambda: f"/bulletins/boards/{_board().pk}/delegates/1/remove/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    "bulletins/boards/<int:board_id>/discussions/new/": (
        lambda: f"/bulletins/boards/{_board().pk}/discussions/new/",
        MANAGERS_ONLY,
    ),
    # A channel's discussion is for all staff (a department's: see tests/integration/bulletins).
    "bulletins/discussions/<int:discussion_id>/": (
        lambda: f"/bulletins/discussions/{_discussion().pk}/",
        intranet_row(),
    ),
    "bulletins/discussions/<int:discussion_id>/suggestions/<int:post_id>/mark/": (
        lambda: f"/bulletins/discussions/{_discussion().pk}/suggestions/1/mark/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    "bulletins/discussions/<int:discussion_id>/close/": (
        lambda: f"/bulletins/discussions/{_discussion().pk}/close/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    "bulletins/feeds/": ("/bulletins/feeds/", intranet_row()),
    "bulletins/feeds/regenerate/": (
        "/bulletins/feeds/regenerate/",
        intranet_row(employees=NOT_ALLOWED),
    ),
    # The token is the credential: a feed reader has no session. A retailer's session on the
    # intranet is still signed out first.
    "bulletins/feeds/<str:token>/channels.atom": (
        lambda: f"/bulletins/feeds/{_token()}/channels.atom",
        intranet_row(anonymous=OK),
    ),
    "bulletins/feeds/<str:token>/boards/<int:board_id>.atom": (
        lambda: f"/bulletins/feeds/{_token()}/boards/{_board().pk}.atom",
        intranet_row(anonymous=OK),
    ),
    # A board or a notice: Wagtail's pages, served at the same addresses as before this
    # pattern found them in one query. A notice addressed to another department answers 404.
    BOARD_OR_NOTICE: (lambda: _relative(_board()), intranet_row()),
    f"{BOARD_OR_NOTICE} of a notice for all staff": (lambda: _relative(_notice()), intranet_row()),
    f"{BOARD_OR_NOTICE} of a notice for another department": (
        lambda: _relative(_private_notice()),
        MANAGERS_ONLY,
    ),
    f"{BOARD_OR_NOTICE} of a missing notice": (
        lambda: f"{_relative(_board())}no-such-notice/",
        intranet_row(employees=MISSING),
    ),
}

EXTRANET = {}
