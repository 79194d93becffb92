"""Knowledge editors upload and choose images (and documents) in Wagtail admin: migrations
give their role add/change/choose permissions on the "Knowledge" collection."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from knowledge.services import knowledge_collection, knowledge_setup_ensure

pytestmark = pytest.mark.django_db


def png(name="picture.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def upload(client):
    return client.post(
        reverse("wagtailimages_chooser:create"),
        {"image-chooser-upload-title": "烘丝机", "image-chooser-upload-file": png()},
    )


def test_an_editor_uploads_an_image_through_the_chooser_into_the_knowledge_collection(
    client, editor
):
    client.force_login(editor)
    response = upload(client)
    assert response.status_code == 200, response.content[:300]
    image = get_image_model().objects.get(title="烘丝机")
    assert image.collection == knowledge_collection()
    assert response.json()["step"] == "chosen"


def test_an_employee_may_not_upload_images(client, employee):
    client.force_login(employee)
    upload(client)
    assert not get_image_model().objects.filter(title="烘丝机").exists()


def test_the_set_up_is_idempotent_and_covers_documents(editor):
    from wagtail.models import GroupCollectionPermission

    before = GroupCollectionPermission.objects.count()
    knowledge_setup_ensure()
    assert GroupCollectionPermission.objects.count() == before
    codenames = set(
        GroupCollectionPermission.objects.filter(
            group__name="knowledge_editor", collection=knowledge_collection()
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }
