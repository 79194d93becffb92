"""Access-matrix rows of Wagtail's own file URLs (issue 17): a document at /files/<id>/<name>
and a picture's rendition at /image-files/…, each answered only to whoever may see the notice
or article holding it. Besides the routes' rows, one case per kind of owner: a restricted
notice's attachment, a public notice's, an internal article's picture, an external one's.

The restricted notice is addressed to a department none of the role users belongs to; the
pictures are in the knowledge base's collection, which the knowledge editors manage."""

from tests.access import MISSING, OK, extranet_row, intranet_row


def _document_url(departments=None):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from bulletins.models import NoticeAttachment
    from tests.factories.bulletins import NoticeFactory, board_of
    from tests.factories.people import DepartmentFactory

    board = board_of(DepartmentFactory())
    notice = NoticeFactory(board=board, departments=departments or ())
    document = Document.objects.create(title="规程", file=ContentFile(b"%PDF-1.4", "rules.pdf"))
    NoticeAttachment.objects.create(notice=notice, document=document)
    return f"/files/{document.pk}/{document.filename}"


def _restricted_document_url():
    from tests.factories.people import DepartmentFactory

    return _document_url(departments=[DepartmentFactory()])


def _picture_url(face):
    import io

    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from knowledge.services import knowledge_collection
    from tests.factories.knowledge import ArticlePageFactory

    # Wagtail caches renditions by image id: a rolled-back row's rendition would be found.
    cache.clear()
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 8), "red").save(buffer, format="PNG")
    picture = get_image_model().objects.create(
        title="烘丝机",
        file=ContentFile(buffer.getvalue(), "machine.png"),
        collection=knowledge_collection(),
    )
    ArticlePageFactory(
        face=face, body=[{"type": "image", "value": {"image": picture.pk, "caption": ""}}]
    )
    return picture.get_rendition("max-800x600").url


ADMINS_ONLY = intranet_row(employees=MISSING, superuser=OK)
PICTURE_ADMINS_ONLY = intranet_row(employees=MISSING, knowledge_editor=OK, superuser=OK)

INTRANET = {
    "image-files/<path:name>": ("/image-files/images/missing.png", intranet_row(employees=MISSING)),
    "files/^(\\d+)/(.*)$ of a restricted notice": (_restricted_document_url, ADMINS_ONLY),
    "files/^(\\d+)/(.*)$ of a notice for all staff": (_document_url, intranet_row()),
    "image-files/<path:name> of an internal article": (
        lambda: _picture_url("intranet"),
        intranet_row(),
    ),
    "image-files/<path:name> of an external article": (
        lambda: _picture_url("extranet"),
        PICTURE_ADMINS_ONLY,
    ),
}

EXTRANET = {
    "image-files/<path:name>": ("/image-files/images/missing.png", extranet_row(retailer=MISSING)),
    "image-files/<path:name> of an internal article": (
        lambda: _picture_url("intranet"),
        extranet_row(retailer=MISSING),
    ),
    "image-files/<path:name> of an external article": (
        lambda: _picture_url("extranet"),
        extranet_row(),
    ),
    # Wagtail's document URLs are not routed on the extranet at all.
    "files/^(\\d+)/(.*)$ of a notice for all staff": (
        _document_url,
        extranet_row(anonymous=MISSING, retailer=MISSING),
    ),
}
