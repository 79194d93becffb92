"""Pictures of a contributed article render with working URLs, through the checking view of
portal/file_access.py (they were `/media-not-served/…` before issue 17), for whoever may read
the article on its face, and for nobody else."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import WorkflowState

from knowledge.models import ArticlePage
from tests.conftest import make_role_user, set_face
from tests.factories.knowledge import knowledge_type

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("烘丝机.png", buffer.getvalue(), content_type="image/png")


def contribute_and_approve(author, editor, audience):
    cache.clear()
    client = Client()
    client.force_login(author)
    response = client.post(
        reverse("knowledge:contribute"),
        {
            "title": "烘丝机出口含水率",
            "audience": audience,
            "knowledge_type": knowledge_type("equipment-maintenance").pk,
            "text": "出口含水率应稳定。",
            "images": [png()],
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    article = ArticlePage.objects.get(title="烘丝机出口含水率")
    state = WorkflowState.objects.active().get(object_id=str(article.pk))
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state.specific, editor, "approve")
    article.refresh_from_db()
    assert article.live
    return article


def picture_sources(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r'<img[^>]+src="([^"]+)"', response.content.decode())


def test_a_contributed_articles_picture_renders_with_a_working_url(
    author, editor, intranet, settings
):
    article = contribute_and_approve(author, editor, "internal")
    reader = Client()
    reader.force_login(make_role_user("employee"))
    (source,) = picture_sources(reader, article.url)
    assert source.startswith("/image-files/")
    response = reader.get(source)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    set_face(settings, "extranet")
    retailer = Client()
    retailer.force_login(make_role_user("retailer"))
    assert retailer.get(source).status_code == 404


def test_an_external_contributions_picture_works_for_retailers(author, editor, settings):
    set_face(settings, "intranet")
    article = contribute_and_approve(author, editor, "external")
    set_face(settings, "extranet")
    retailer = Client()
    retailer.force_login(make_role_user("retailer"))
    (source,) = picture_sources(retailer, article.get_url())
    assert retailer.get(source).status_code == 200
