"""Each department board has its own collection of documents and pictures; its editors (the
head and delegates) hold add, change and choose there and nowhere else, so the admin's
listings and choosers show them their own board's files only (issue 17)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from bulletins.services import BULLETINS_COLLECTION, bulletins_sync

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), "green").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), "tobacco.png")


def page_text(response):
    """The HTML of an admin page or of a chooser's JSON answer (whose text is escaped)."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


@pytest.fixture
def quality_files(quality_board):
    document = Document.objects.create(
        title="质检内部规程",
        file=ContentFile(b"%PDF-1.4", "qc.pdf"),
        collection=quality_board.collection,
    )
    picture = get_image_model().objects.create(
        title="质检内部图片", file=png(), collection=quality_board.collection
    )
    return document, picture


def test_each_board_has_its_own_collection_under_bulletins(sales_board, quality_board):
    assert sales_board.collection != quality_board.collection
    assert sales_board.collection.get_parent().name == BULLETINS_COLLECTION
    assert quality_board.collection.name == "质检科"


def test_editors_hold_file_permissions_only_on_their_boards_collection(sales_head, sales_board):
    grants = GroupCollectionPermission.objects.filter(group=sales_board.editors)
    assert {grant.collection_id for grant in grants} == {sales_board.collection_id}
    assert {grant.permission.codename for grant in grants} == {
        "add_document",
        "change_document",
        "choose_document",
        "add_image",
        "change_image",
        "choose_image",
    }
    assert not GroupCollectionPermission.objects.filter(
        group__name__startswith="bulletins:", collection=Collection.get_first_root_node()
    ).exists()


def test_set_up_moves_a_root_grant_to_the_boards_collection(sales_board):
    from django.contrib.auth.models import Permission

    root = Collection.get_first_root_node()
    GroupCollectionPermission.objects.create(
        group=sales_board.editors,
        collection=root,
        permission=Permission.objects.get(codename="choose_document"),
    )
    bulletins_sync()
    assert not GroupCollectionPermission.objects.filter(
        group=sales_board.editors, collection=root
    ).exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtaildocs_chooser:choose",
        "wagtaildocs_chooser:choose_results",
        "wagtaildocs:index",
        "wagtailimages_chooser:choose",
        "wagtailimages:index",
    ],
)
def test_a_head_does_not_see_another_boards_files_in_the_admin(
    client, intranet, sales_head, quality_files, url_name
):
    client.force_login(sales_head.user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = page_text(response)
    assert "质检内部规程" not in text
    assert "质检内部图片" not in text
    document, _picture = quality_files
    assert f"/files/{document.pk}/" not in text


@pytest.mark.parametrize(
    "url_name", ["wagtaildocs_chooser:choose", "wagtaildocs:index", "wagtailimages:index"]
)
def test_a_head_sees_their_own_boards_files_in_the_admin(
    client, intranet, quality_head, quality_files, url_name
):
    client.force_login(quality_head.user)
    text = page_text(client.get(reverse(url_name)))
    assert "质检内部规程" in text or "质检内部图片" in text


def test_a_head_cannot_open_another_boards_document_in_the_admin(
    client, intranet, sales_head, quality_files
):
    document, picture = quality_files
    client.force_login(sales_head.user)
    for url in (
        reverse("wagtaildocs:edit", args=[document.pk]),
        reverse("wagtaildocs_chooser:chosen", args=[document.pk]),
        reverse("wagtailimages:edit", args=[picture.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "质检内部" not in page_text(response)


def test_a_head_uploads_into_their_boards_collection(client, intranet, sales_head, sales_board):
    client.force_login(sales_head.user)
    response = client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "销售规程",
            "document-chooser-upload-file": SimpleUploadedFile("sales.pdf", b"%PDF-1.4"),
        },
    )
    assert response.status_code == 200, response.content[:300]
    assert Document.objects.get(title="销售规程").collection == sales_board.collection


def test_the_migration_moves_root_grants_and_a_boards_documents_to_its_collection(
    quality_board,
):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Permission

    from bulletins.models import Board, NoticeAttachment
    from tests.factories.bulletins import NoticeFactory

    migration = importlib.import_module("bulletins.migrations.0004_board_collections")
    root = Collection.get_first_root_node()
    # As before the migration: no collection, the editors' grants on the root collection.
    Board.objects.filter(pk=quality_board.pk).update(collection=None)
    GroupCollectionPermission.objects.filter(group=quality_board.editors).delete()
    GroupCollectionPermission.objects.create(
        group=quality_board.editors,
        collection=root,
        permission=Permission.objects.get(codename="choose_document"),
    )
    document = Document.objects.create(title="旧附件", file=ContentFile(b"%PDF", "old.pdf"))
    NoticeAttachment.objects.create(notice=NoticeFactory(board=quality_board), document=document)

    migration.boards_get_collections(apps, None)

    quality_board.refresh_from_db()
    assert quality_board.collection is not None
    assert quality_board.collection.get_parent().name == BULLETINS_COLLECTION
    assert not GroupCollectionPermission.objects.filter(
        group=quality_board.editors, collection=root
    ).exists()
    assert GroupCollectionPermission.objects.filter(
        group=quality_board.editors,
        collection=quality_board.collection,
        permission__codename="choose_image",
    ).exists()
    document.refresh_from_db()
    assert document.collection == quality_board.collection
