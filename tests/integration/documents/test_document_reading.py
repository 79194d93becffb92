"""A document's page reads its document in one written-out SQL statement
(documents.register.reading): every reader gets exactly the documents `documents_shown_to`
gives, with the same fields and the same related objects."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.register.models import DocumentFile, PolicyDocument
from documents.register.reading import LEFT_OUT, RELATED, document_files, document_shown_to
from documents.register.selectors import documents_shown_to
from tests.factories.documents import DocumentFileFactory
from tests.integration.documents import test_register_listing as listing_tests

pytestmark = pytest.mark.django_db

register = listing_tests.register  # the register's documents, granted in every way


def _fields(model):
    return model._meta.concrete_fields


def _values(instance):
    if instance is None:
        return None
    left_out = LEFT_OUT.get(type(instance), ())
    return [getattr(instance, f.attname) for f in _fields(type(instance)) if f.name not in left_out]


def _as_shown(document):
    return [_values(document)] + [
        _values(getattr(document, name, None)) for name, _model, _join in RELATED
    ]


@pytest.fixture
def linked(register):
    """Superseding chains, official files and attachments among the register's documents."""
    documents = list(PolicyDocument.objects.order_by("pk"))
    for old, new in zip(documents[0:12:3], documents[1:12:3], strict=True):
        new.supersedes = old
        new.save()
    for document in documents[::2]:
        official = DocumentFileFactory(document=document, text="long extracted text")
        DocumentFileFactory(document=document, kind=DocumentFile.Kind.ATTACHMENT)
        document.official_file = official
        document.save()
    return documents


@pytest.mark.parametrize("who", listing_tests.READERS)
def test_each_reader_reads_what_the_selector_gives(plant, linked, who):
    user = getattr(plant, who).user
    for document in linked:
        expected = documents_shown_to(user=user).filter(pk=document.pk).first()
        with CaptureQueriesContext(connection) as queries:
            read = document_shown_to(user=user, pk=document.pk)
            shown = None if read is None else _as_shown(read)
        assert len(queries) <= 1
        if expected is None:
            assert read is None
        else:
            assert shown == _as_shown(expected)


def test_no_one_outside_reads_anything(plant, linked, retailer_user):
    document = linked[0]
    assert document_shown_to(user=retailer_user, pk=document.pk) is None
    assert document_shown_to(user=AnonymousUser(), pk=document.pk) is None
    assert document_shown_to(user=plant.manager.user, pk=document.pk) is not None
    for odd in ("x", None, 2**70, -(2**70)):
        assert document_shown_to(user=plant.manager.user, pk=odd) is None


def test_the_official_file_is_read_without_its_text(plant, linked):
    document = document_shown_to(user=plant.manager.user, pk=linked[0].pk)
    assert document.official_file.original_name == "制度.pdf"
    assert "text" in document.official_file.get_deferred_fields()


def test_a_document_s_files_are_what_the_orm_reads(plant, linked):
    """`document_files`, written out, gives the ORM's files of each document, in the model's
    order (kind, newest version first, id), with the same values and without their text."""
    # Several versions of an official file, out of order, and a second attachment.
    document = linked[0]
    for version, note in ((3, "第三版"), (2, "第二版")):
        DocumentFileFactory(document=document, version=version, note=note, size=10**10)
    DocumentFileFactory(document=document, kind=DocumentFile.Kind.ATTACHMENT, version=5)
    compared = 0
    for document in linked:
        expected = list(DocumentFile.objects.filter(document_id=document.pk).defer("text"))
        with CaptureQueriesContext(connection) as queries:
            files = document_files(document=document)
        assert len(queries) == 1
        assert [_values(f) for f in files] == [_values(f) for f in expected], document.pk
        assert all("text" in f.get_deferred_fields() for f in files)
        compared += len(files)
    assert compared >= 10
    assert [(f.kind, f.version) for f in document_files(document=linked[0])] == [
        ("attachment", 5),
        ("attachment", 1),
        ("official", 3),
        ("official", 2),
        ("official", 1),
    ]
