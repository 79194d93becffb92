"""Wagtail's own file URLs answer only whoever may read the object the file belongs to
(portal/file_access.py): a document at /files/<id>/<name> by the notice holding it, a
picture's rendition at /image-files/… by the article or product showing it (issue 17)."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model

from bulletins.models import NoticeAttachment
from tests.conftest import make_role_user, set_face
from tests.factories.bulletins import NoticeFactory, board_of
from tests.factories.knowledge import ArticlePageFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def png_bytes(colour="red"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def image(**fields):
    # Wagtail caches renditions by image id; a rolled-back test's would be found again.
    cache.clear()
    return get_image_model().objects.create(
        title="烘丝机", file=ContentFile(png_bytes(), "machine.png"), **fields
    )


def rendition_url(picture):
    return picture.get_rendition("max-800x600").url


def document(**fields):
    return Document.objects.create(
        title="规程", file=ContentFile(b"%PDF-1.4 secret", "rules.pdf"), **fields
    )


@pytest.fixture
def quality(db):
    return DepartmentFactory(code="quality", name="质检科", name_en="Quality Inspection")


@pytest.fixture
def restricted_attachment(quality):
    """A document attached to a notice addressed to 质检科 only."""
    notice = NoticeFactory(board=board_of(quality), departments=[quality])
    stored = document()
    NoticeAttachment.objects.create(notice=notice, document=stored)
    return stored


def file_url(stored):
    return f"/files/{stored.pk}/{stored.filename}"


def get(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_an_outsider_cannot_read_a_restricted_notices_attachment_by_its_wagtail_url(
    intranet, restricted_attachment
):
    outsider = make_role_user("employee")
    response = get(outsider, restricted_attachment.url)
    assert restricted_attachment.url.startswith("/files/")
    assert response.status_code == 404
    assert b"secret" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_reader_of_the_notice_reads_its_attachment_by_its_wagtail_url(
    intranet, restricted_attachment, quality
):
    insider = EmployeeFactory(department=quality).user
    response = get(insider, restricted_attachment.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
    assert response["Cache-Control"] == "private, no-store"


def test_a_public_notices_attachment_is_read_by_every_employee(intranet, quality):
    notice = NoticeFactory(board=board_of(quality))
    stored = document()
    NoticeAttachment.objects.create(notice=notice, document=stored)
    assert get(make_role_user("employee"), stored.url).status_code == 200


def test_a_document_nothing_refers_to_is_read_only_by_its_uploader_and_admins(intranet):
    uploader = make_role_user("employee")
    stored = document(uploaded_by_user=uploader)
    assert get(uploader, stored.url).status_code == 200
    assert get(make_role_user("superuser"), stored.url).status_code == 200
    assert get(make_role_user("employee"), stored.url).status_code == 404
    assert get(make_role_user("department_head"), stored.url).status_code == 404


def test_an_internal_articles_picture_is_seen_by_employees_only(intranet, settings):
    picture = image()
    ArticlePageFactory(body=[{"type": "image", "value": {"image": picture.pk, "caption": ""}}])
    url = rendition_url(picture)
    assert url.startswith("/image-files/images/")
    response = get(make_role_user("employee"), url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    set_face(settings, "extranet")
    assert get(make_role_user("retailer"), url).status_code == 404


def test_an_external_articles_picture_is_seen_by_retailers_on_the_extranet(extranet):
    picture = image()
    ArticlePageFactory(
        face="extranet", body=[{"type": "image", "value": {"image": picture.pk, "caption": ""}}]
    )
    response = get(make_role_user("retailer"), rendition_url(picture))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_a_retailer_gets_no_intranet_file_on_the_extranet(extranet, restricted_attachment):
    picture = image()
    ArticlePageFactory(body=[{"type": "image", "value": {"image": picture.pk, "caption": ""}}])
    retailer = make_role_user("retailer")
    assert get(retailer, rendition_url(picture)).status_code == 404
    assert get(retailer, file_url(restricted_attachment)).status_code == 404
    public = document()
    NoticeAttachment.objects.create(
        notice=NoticeFactory(board=board_of(DepartmentFactory())), document=public
    )
    assert get(retailer, file_url(public)).status_code == 404


def test_a_picture_embedded_in_a_notices_rich_text_works_for_its_readers_only(intranet, quality):
    picture = image()
    notice = NoticeFactory(
        board=board_of(quality),
        departments=[quality],
        body=f'<embed embedtype="image" id="{picture.pk}" format="fullwidth" alt="图"/>',
    )
    reader = Client()
    reader.force_login(EmployeeFactory(department=quality).user)
    page = reader.get(notice.url).content.decode()
    (source,) = re.findall(r'<img[^>]+src="([^"]+)"', page)
    assert source.startswith("/image-files/")
    assert reader.get(source).status_code == 200
    assert get(make_role_user("employee"), source).status_code == 404


def test_a_picture_in_a_sales_policy_works_for_retailers_on_the_extranet(extranet):
    from datetime import date

    from extranet.models import SalesPolicy
    from tests.factories.extranet import ProductFactory

    picture = image()
    product = ProductFactory()
    SalesPolicy.objects.create(
        product=product,
        title="促销",
        body=f'<embed embedtype="image" id="{picture.pk}" format="fullwidth" alt="图"/>',
        valid_from=date(2026, 1, 1),
    )
    retailer = Client()
    retailer.force_login(make_role_user("retailer"))
    page = retailer.get(f"/shop/products/{product.pk}/").content.decode()
    (source,) = re.findall(r'<img[^>]+src="(/image-files/[^"]+)"', page)
    assert retailer.get(source).status_code == 200
