"""Who sees a restricted document: the register, the page, the file and the selector."""

import pytest
from django.contrib.auth.models import Group

from documents.register.selectors import documents_visible_to
from documents.register.services import (
    access_grant_department,
    access_grant_group,
    access_grant_user,
    access_revoke_department,
    access_revoke_group,
    access_revoke_user,
)
from portal.models import AuditEntry
from portal.permissions import Role
from portal.refusals import Refusal
from tests.factories.documents import DocumentFileFactory, PolicyDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(plant):
    document = PolicyDocumentFactory(
        issuing_department=plant.office, is_restricted=True, title="薪酬管理办法"
    )
    DocumentFileFactory(document=document)
    return document


def visible(user):
    return set(documents_visible_to(user=user).values_list("pk", flat=True))


def paths(client, user, document):
    """(register lists it, page status, file status) for `user`."""
    client.force_login(user.user if hasattr(user, "user") else user)
    register = client.get("/documents/")
    page = client.get(f"/documents/{document.pk}/")
    stored = document.files.first()
    file = client.get(f"/documents/{document.pk}/files/{stored.pk}/")
    return document.title in register.content.decode(), page.status_code, file.status_code


def test_a_restricted_document_is_invisible_everywhere_without_a_grant(
    client, intranet, plant, restricted
):
    assert paths(client, plant.quality_member, restricted) == (False, 404, 404)


def test_the_issuing_head_and_the_manager_see_it_everywhere(client, intranet, plant, restricted):
    assert paths(client, plant.head, restricted) == (True, 200, 200)
    assert paths(client, plant.manager, restricted) == (True, 200, 200)


def test_a_department_grant_opens_it_to_members_and_to_sections_when_included(
    client, intranet, plant, restricted
):
    access_grant_department(
        actor=plant.head.user, document=restricted, department=plant.quality, include_sections=False
    )
    assert paths(client, plant.quality_member, restricted) == (True, 200, 200)
    assert paths(client, plant.lab_member, restricted) == (False, 404, 404)
    assert paths(client, plant.sales_member, restricted) == (False, 404, 404)

    access_grant_department(
        actor=plant.head.user, document=restricted, department=plant.quality, include_sections=True
    )
    assert paths(client, plant.lab_member, restricted) == (True, 200, 200)

    access_revoke_department(actor=plant.head.user, document=restricted, department=plant.quality)
    assert paths(client, plant.quality_member, restricted) == (False, 404, 404)


def test_a_grant_in_person_and_through_a_group_uses_guardian(plant, restricted):
    access_grant_user(actor=plant.head.user, document=restricted, user=plant.sales_member.user)
    assert restricted.pk in visible(plant.sales_member.user)
    assert plant.sales_member.user.has_perm("documents.view_policydocument", restricted)
    assert restricted.pk not in visible(plant.quality_member.user)

    group = Group.objects.get(name=Role.EMPLOYEE)
    access_grant_group(actor=plant.head.user, document=restricted, group=group)
    assert restricted.pk in visible(plant.quality_member.user)
    access_revoke_group(actor=plant.head.user, document=restricted, group=group)
    access_revoke_user(actor=plant.head.user, document=restricted, user=plant.sales_member.user)
    assert restricted.pk not in visible(plant.sales_member.user)
    assert restricted.pk not in visible(plant.quality_member.user)


def test_the_register_s_total_never_counts_a_restricted_document_without_a_grant(
    client, english, intranet, plant, restricted, django_capture_on_commit_callbacks
):
    """More documents than a page holds, so the total shown is the one kept with the facets:
    it follows a grant and its revocation at once."""
    for _ in range(35):
        PolicyDocumentFactory(issuing_department=plant.office)
    PolicyDocumentFactory(issuing_department=plant.office, status="draft")
    reader = plant.quality_member

    def shown():
        client.force_login(reader.user)
        html = client.get("/documents/").content.decode()
        last = client.get("/documents/", {"page": 2}).content.decode()
        return "35 documents" in html, "36 documents" in html, restricted.title in last

    assert shown() == (True, False, False)
    with django_capture_on_commit_callbacks(execute=True):
        access_grant_user(actor=plant.head.user, document=restricted, user=reader.user)
    assert shown() == (False, True, True)
    with django_capture_on_commit_callbacks(execute=True):
        access_revoke_user(actor=plant.head.user, document=restricted, user=reader.user)
    assert shown() == (True, False, False)
    # The head of the issuing department reads all of its documents, the draft included.
    client.force_login(plant.head.user)
    assert "37 documents" in client.get("/documents/").content.decode()


def test_every_grant_and_revoke_is_audited(plant, restricted):
    access_grant_department(actor=plant.head.user, document=restricted, department=plant.sales)
    access_grant_user(actor=plant.head.user, document=restricted, user=plant.lab_member.user)
    access_revoke_department(actor=plant.head.user, document=restricted, department=plant.sales)
    entries = list(
        AuditEntry.objects.filter(target_id=str(restricted.pk), action__startswith="document.")
        .order_by("pk")
        .values_list("action", "actor_id", "data")
    )
    assert entries == [
        (
            "document.access_granted",
            plant.head.user_id,
            {"department": "sales", "include_sections": True},
        ),
        ("document.access_granted", plant.head.user_id, {"user": plant.lab_member.user.username}),
        ("document.access_revoked", plant.head.user_id, {"department": "sales"}),
    ]


def test_only_the_competent_head_grants(plant, restricted):
    for actor in (plant.quality_head.user, plant.manager.user, plant.quality_member.user):
        with pytest.raises(Refusal):
            access_grant_department(actor=actor, document=restricted, department=plant.quality)
    assert not restricted.department_grants.exists()


def test_the_access_page_is_the_head_s_alone(client, intranet, plant, restricted):
    client.force_login(plant.quality_head.user)
    assert client.get(f"/documents/{restricted.pk}/access/").status_code == 404
    client.force_login(plant.head.user)
    response = client.post(
        f"/documents/{restricted.pk}/access/",
        {"department": plant.sales.pk, "include_sections": "on"},
    )
    assert response.status_code == 302
    assert restricted.department_grants.get().department == plant.sales


def test_the_grant_form_refuses_an_unknown_employee_with_a_message(
    client, english, intranet, plant, restricted
):
    client.force_login(plant.head.user)
    response = client.post(f"/documents/{restricted.pk}/access/", {"employee_number": "NOPE"})
    assert response.status_code == 400
    assert "No active employee has this number." in response.content.decode()


def test_open_documents_are_seen_by_every_employee_drafts_only_by_managers(plant):
    open_document = PolicyDocumentFactory(issuing_department=plant.quality)
    draft = PolicyDocumentFactory(issuing_department=plant.quality, status="draft")
    assert visible(plant.sales_member.user) == {open_document.pk}
    assert visible(plant.manager.user) == {open_document.pk, draft.pk}
    # The head of the issuing department sees their department's drafts too.
    assert visible(plant.quality_head.user) == {open_document.pk, draft.pk}


def test_retailers_and_the_extranet_see_nothing(client, extranet, plant, retailer_user):
    document = PolicyDocumentFactory(issuing_department=plant.quality)
    assert not documents_visible_to(user=retailer_user).exists()
    client.force_login(plant.sales_member.user)
    assert client.get(f"/documents/{document.pk}/").status_code in (302, 404)


def test_files_are_private_and_never_cached(client, intranet, plant):
    document = PolicyDocumentFactory(issuing_department=plant.quality)
    stored = DocumentFileFactory(document=document)
    client.force_login(plant.sales_member.user)
    response = client.get(f"/documents/{document.pk}/files/{stored.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    # Another document's number with this file's id is no way in.
    other = PolicyDocumentFactory(issuing_department=plant.quality)
    assert client.get(f"/documents/{other.pk}/files/{stored.pk}/").status_code == 404


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_nothing_under_the_media_root_is_reachable_directly(
    client, settings, plant, retailer_user, face
):
    from tests.conftest import set_face

    set_face(settings, face)
    stored = DocumentFileFactory(document=PolicyDocumentFactory(issuing_department=plant.quality))
    # Signed in as someone the face serves, so that a 404 is the answer, not a sign-in page.
    client.force_login(plant.manager.user if face == "intranet" else retailer_user)
    assert stored.file.storage.exists(stored.file.name)
    for url in (
        settings.MEDIA_URL + stored.file.name,
        "/media/" + stored.file.name,
        "/" + stored.file.name,
        "/" + str(stored.file.path).lstrip("/"),
    ):
        assert client.get(url).status_code == 404, url
