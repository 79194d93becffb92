"""Full-text search of documents, the text of their files included, filtered by who may read."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from haystack import connections

from documents.register.models import DocumentFile, PolicyDocument
from documents.register.services import (
    access_grant_department,
    document_file_add,
    document_publish,
    document_register,
)
from documents.register.tasks import document_file_extract_text
from portal.search import services as search_services
from tests.factories.documents import chinese_pdf, word_file
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_indexes(db):
    search_services._changed.__dict__.clear()
    for alias in connections.connections_info:
        connections[alias].get_backend().clear()
    yield
    for alias in connections.connections_info:
        connections[alias].get_backend().clear()


def work():
    """The default worker extracts text (its index request is queued when its transaction
    commits, which inside a test's transaction is simulated); the search worker then indexes."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        run_worker("default")
    run_worker("search")


def titles(client, user, query):
    client.force_login(user)
    html = client.get("/search/", {"q": query, "kind": "documents"}).content.decode()
    listing = re.search(r'<ol class="search-results".*?</ol>', html, re.S)
    if listing is None:
        return []
    return [
        re.sub(r"</?mark>", "", t)
        for t in re.findall(r'<a href="[^"]*">(.*?)</a>', listing.group(), re.S)
    ]


@pytest.fixture
def published_restricted(plant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_register(
            actor=plant.manager.user,
            issuing_department=plant.office,
            number_prefix="厂办",
            year=2026,
            title="薪酬管理办法",
            level="factory",
            is_restricted=True,
            official_file=SimpleUploadedFile(
                "薪酬.pdf", chinese_pdf("第三条 绩效奖金按季度考核结果发放")
            ),
            attachments=[SimpleUploadedFile("附表.docx", word_file("岗位津贴标准一览表"))],
        )
        document_publish(actor=plant.manager.user, document=document)
    work()
    return document


def test_text_is_extracted_in_the_background_and_stored(plant, published_restricted):
    texts = dict(
        DocumentFile.objects.filter(document=published_restricted).values_list("kind", "text")
    )
    assert "绩效奖金按季度考核结果发放" in texts["official"]
    assert "岗位津贴标准一览表" in texts["attachment"]


def test_a_phrase_of_the_pdf_finds_it_only_for_those_allowed(
    client, intranet, plant, published_restricted, django_capture_on_commit_callbacks
):
    title = f"{published_restricted.number} 薪酬管理办法"
    assert titles(client, plant.head.user, "绩效奖金") == [title]
    assert titles(client, plant.quality_member.user, "绩效奖金") == []

    with django_capture_on_commit_callbacks(execute=True):
        access_grant_department(
            actor=plant.head.user, document=published_restricted, department=plant.quality
        )
    # No reindex needed: who may see it is asked of the database at search time.
    assert titles(client, plant.quality_member.user, "绩效奖金") == [title]
    assert titles(client, plant.quality_member.user, "岗位津贴") == [title]
    assert titles(client, plant.sales_member.user, "绩效奖金") == []


def test_reindexing_reads_the_stored_text_and_never_parses_files(
    plant, published_restricted, monkeypatch
):
    from portal.extraction import _READERS

    def fail(file):
        raise AssertionError("a file was parsed again")

    monkeypatch.setitem(_READERS, ".pdf", fail)
    monkeypatch.setitem(_READERS, ".docx", fail)
    counts = search_services.search_index_sync(
        items=[("documents.policydocument", str(published_restricted.pk))]
    )
    assert counts["updated"] == 1


def test_an_old_version_s_words_no_longer_find_it(
    client, intranet, plant, published_restricted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document_file_add(
            actor=plant.manager.user,
            document=published_restricted,
            upload=SimpleUploadedFile("新.pdf", chinese_pdf("第三条 年终奖励由厂务会决定")),
        )
    work()
    assert titles(client, plant.head.user, "年终奖励") != []
    assert titles(client, plant.head.user, "绩效奖金") == []


def test_extraction_of_a_deleted_file_does_nothing(plant):
    assert document_file_extract_text.call(file_id=987654) == 0


def test_drafts_are_not_found_by_ordinary_readers(
    client, intranet, plant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document_register(
            actor=plant.manager.user,
            issuing_department=plant.quality,
            number_prefix="质检",
            year=2026,
            title="烟叶含水率检测规程",
            level="department",
        )
    work()
    assert PolicyDocument.objects.get().status == "draft"
    assert titles(client, plant.sales_member.user, "含水率") == []
    assert titles(client, plant.manager.user, "含水率") != []
