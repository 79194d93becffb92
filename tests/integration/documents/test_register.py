"""Registering, numbering, publishing, superseding, repealing and file versions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from documents.register.models import DocumentFile, PolicyDocument
from documents.register.services import (
    document_file_add,
    document_publish,
    document_register,
    document_repeal,
)
from portal.models import AuditEntry
from portal.refusals import Refusal
from tests.factories.documents import PolicyDocumentFactory, chinese_pdf

pytestmark = pytest.mark.django_db


def register(plant, **kwargs):
    values = {
        "actor": plant.manager.user,
        "issuing_department": plant.office,
        "number_prefix": "厂办",
        "year": 2026,
        "title": "安全生产管理规定",
        "level": PolicyDocument.Level.FACTORY,
    }
    values.update(kwargs)
    return document_register(**values)


def test_the_number_reads_like_the_factory_writes_it_and_counts_per_department_and_year(plant):
    first = register(plant)
    second = register(plant)
    other_year = register(plant, year=2025)
    other_department = register(plant, issuing_department=plant.quality, number_prefix="质检")
    assert first.number == "厂办〔2026〕1号"
    assert second.number == "厂办〔2026〕2号"
    assert other_year.number == "厂办〔2025〕1号"
    assert other_department.number == "质检〔2026〕1号"


def test_a_number_is_unique_per_department_and_year_in_the_database(plant):
    PolicyDocumentFactory(issuing_department=plant.office, year=2026, sequence=12)
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyDocumentFactory(issuing_department=plant.office, year=2026, sequence=12)
    with pytest.raises(Refusal) as refused:
        register(plant, sequence=12)
    assert "13" in refused.value.message


def test_only_document_managers_register(plant):
    with pytest.raises(Refusal) as refused:
        register(plant, actor=plant.head.user)
    assert refused.value.status == 403
    assert not PolicyDocument.objects.exists()


def test_superseding_marks_the_old_one_and_links_both_ways(client, intranet, plant):
    old = register(plant, title="旧办法")
    old = document_publish(actor=plant.manager.user, document=old)
    new = register(plant, title="新办法", supersedes=old)
    old.refresh_from_db()
    assert old.status == PolicyDocument.Status.IN_FORCE  # not before the new one is in force

    document_publish(actor=plant.manager.user, document=new)
    old.refresh_from_db()
    assert old.status == PolicyDocument.Status.SUPERSEDED
    assert old.superseded_by == new
    assert AuditEntry.objects.filter(action="document.superseded", target_id=str(old.pk)).exists()

    client.force_login(plant.sales_member.user)
    old_page = client.get(f"/documents/{old.pk}/").content.decode()
    new_page = client.get(f"/documents/{new.pk}/").content.decode()
    assert f'class="superseded-by" href="/documents/{new.pk}/"' in old_page
    assert f'class="supersedes" href="/documents/{old.pk}/"' in new_page


def test_publishing_twice_and_repealing_a_draft_are_refused(plant):
    document = register(plant)
    with pytest.raises(Refusal):
        document_repeal(actor=plant.manager.user, document=document, reason="过时")
    document = document_publish(actor=plant.manager.user, document=document)
    with pytest.raises(Refusal):
        document_publish(actor=plant.manager.user, document=document)
    document_repeal(actor=plant.manager.user, document=document, reason="已过时")
    document.refresh_from_db()
    assert document.status == PolicyDocument.Status.REPEALED
    assert document.repeal_reason == "已过时"


def test_a_refused_step_answers_409_with_the_reason(client, english, intranet, plant):
    document = register(plant)
    document_publish(actor=plant.manager.user, document=document)
    client.force_login(plant.manager.user)
    response = client.post(f"/documents/{document.pk}/publish/")
    assert response.status_code == 409
    assert "Only a draft can be published." in response.content.decode()


def test_a_new_official_file_is_the_next_version_and_the_old_stays(
    plant, django_capture_on_commit_callbacks
):
    document = register(plant)
    with django_capture_on_commit_callbacks(execute=False):
        first = document_file_add(
            actor=plant.manager.user,
            document=document,
            upload=SimpleUploadedFile("办法.pdf", chinese_pdf("第一版")),
        )
        second = document_file_add(
            actor=plant.manager.user,
            document=document,
            upload=SimpleUploadedFile("办法（修订）.pdf", chinese_pdf("第二版")),
        )
    document.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert document.official_file == second
    assert document.files.filter(kind=DocumentFile.Kind.OFFICIAL).count() == 2
    # The stored name gives nothing of the original away.
    assert "办法" not in second.file.name


def test_the_register_form_registers_a_draft_and_rejects_wrong_files(
    client, english, intranet, plant
):
    client.force_login(plant.manager.user)
    data = {
        "issuing_department": plant.office.pk,
        "number_prefix": "厂办",
        "year": 2026,
        "title": "考勤制度",
        "level": "factory",
    }
    bad = client.post(
        "/documents/new/", {**data, "official_file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert bad.status_code == 400
    assert "files of this type cannot be uploaded" in bad.content.decode()
    assert not PolicyDocument.objects.exists()

    good = client.post(
        "/documents/new/",
        {**data, "official_file": SimpleUploadedFile("a.pdf", chinese_pdf("考勤"))},
    )
    document = PolicyDocument.objects.get()
    assert good.status_code == 302
    assert document.status == PolicyDocument.Status.DRAFT
    assert document.official_file.original_name == "a.pdf"


def test_the_register_browses_by_year_department_category_and_status_with_counts(
    client, intranet, plant
):
    PolicyDocumentFactory(issuing_department=plant.office, year=2025)
    PolicyDocumentFactory(issuing_department=plant.office, year=2026)
    PolicyDocumentFactory(issuing_department=plant.quality, year=2026, status="repealed")
    PolicyDocumentFactory(issuing_department=plant.quality, year=2026, is_restricted=True)
    client.force_login(plant.sales_member.user)
    html = client.get("/documents/", {"year": 2026}).content.decode()
    assert "2 documents" in html or "2 个文件" in html or html.count('class="doc-row"') == 2
    assert html.count('class="doc-row"') == 2
    # The year facet counts what the reader may see under the other filters.
    assert '2025 <span class="count">1</span>' in html
    assert '2026 <span class="count">2</span>' in html
    by_status = client.get("/documents/", {"status": "repealed"}).content.decode()
    assert by_status.count('class="doc-row"') == 1


def test_bad_filters_are_a_400_not_a_500(client, intranet, plant):
    client.force_login(plant.sales_member.user)
    assert client.get("/documents/", {"year": "abc"}).status_code == 400


def test_the_register_filters_by_level_with_counts_and_keeps_it_in_search(
    client, english, intranet, plant
):
    factory_level = PolicyDocument.Level.FACTORY
    by_department = PolicyDocument.Level.DEPARTMENT
    PolicyDocumentFactory(issuing_department=plant.office, level=factory_level, title="安全规定")
    PolicyDocumentFactory(issuing_department=plant.office, level=factory_level, title="考勤办法")
    PolicyDocumentFactory(issuing_department=plant.quality, level=by_department, title="安全规程")
    client.force_login(plant.sales_member.user)
    html = client.get("/documents/").content.decode()
    assert 'data-facet="level"' in html
    assert 'Department level <span class="count">1</span>' in html
    assert 'Factory level <span class="count">2</span>' in html
    only = client.get("/documents/", {"level": "department"}).content.decode()
    assert only.count('class="doc-row"') == 1 and "安全规程" in only
    # Searching within the register keeps the level chosen.
    assert '<input type="hidden" name="level" value="department">' in only
    found = client.get("/documents/", {"level": "factory", "q": "安全"}).content.decode()
    assert found.count('class="doc-row"') == 1 and "安全规定" in found
    assert client.get("/documents/", {"level": "provincial"}).status_code == 400
