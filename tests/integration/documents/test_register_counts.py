"""The register's cached counts (the facets and the list's total) follow a change of the
reader's department, groups, headship or role at once (the cache generation moves on, or the
reader's key changes), not after the cache expires; and a kept total that missed a change
never hides a page of the list."""

import pytest
from django.contrib.auth.models import Group

from documents.register.models import PolicyDocument
from documents.register.selectors import register_counts_cached
from documents.register.services import access_grant_department, access_grant_group
from portal.models import User
from tests.factories.documents import PolicyDocumentFactory

pytestmark = pytest.mark.django_db


def in_force_count(user) -> int:
    # A fresh user object: the employee and roles are cached per request on the user.
    fresh = User.objects.get(pk=user.pk)
    counts = register_counts_cached(user=fresh, filters={})
    in_force = [
        f.count for f in counts.facets["status"] if f.value == PolicyDocument.Status.IN_FORCE
    ]
    # Every document of these tests is in force: the list's total counts the same ones.
    assert counts.total == sum(in_force)
    return sum(in_force)


def test_moving_to_a_granted_department_shows_its_documents_in_the_counts(
    plant, django_capture_on_commit_callbacks
):
    PolicyDocumentFactory(issuing_department=plant.office)
    restricted = PolicyDocumentFactory(issuing_department=plant.office, is_restricted=True)
    with django_capture_on_commit_callbacks(execute=True):
        access_grant_department(
            actor=plant.head.user, document=restricted, department=plant.quality
        )
    reader = plant.sales_member
    assert in_force_count(reader.user) == 1  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        reader.department = plant.quality
        reader.save()
    assert in_force_count(reader.user) == 2
    with django_capture_on_commit_callbacks(execute=True):
        reader.department = plant.sales
        reader.save()
    assert in_force_count(reader.user) == 1


def test_joining_and_leaving_a_granted_group_changes_the_counts(
    plant, django_capture_on_commit_callbacks
):
    group = Group.objects.create(name="安全委员会")
    restricted = PolicyDocumentFactory(issuing_department=plant.office, is_restricted=True)
    with django_capture_on_commit_callbacks(execute=True):
        access_grant_group(actor=plant.head.user, document=restricted, group=group)
    reader = plant.sales_member.user
    assert in_force_count(reader) == 0
    with django_capture_on_commit_callbacks(execute=True):
        reader.groups.add(group)
    assert in_force_count(reader) == 1
    with django_capture_on_commit_callbacks(execute=True):
        group.user_set.remove(reader)
    assert in_force_count(reader) == 0


def test_becoming_head_of_the_issuing_department_shows_its_restricted_documents(
    plant, django_capture_on_commit_callbacks
):
    PolicyDocumentFactory(issuing_department=plant.sales, is_restricted=True)
    reader = plant.sales_member
    assert in_force_count(reader.user) == 0
    with django_capture_on_commit_callbacks(execute=True):
        plant.sales.head = reader
        plant.sales.save()
    assert in_force_count(reader.user) == 1


def test_counts_stay_cached_while_nothing_changes(plant, django_assert_num_queries):
    PolicyDocumentFactory(issuing_department=plant.office)
    reader = User.objects.get(pk=plant.sales_member.user_id)
    register_counts_cached(user=reader, filters={})
    # The employee and roles are already read: a second call runs no query at all.
    with django_assert_num_queries(0):
        register_counts_cached(user=reader, filters={})


def test_becoming_a_superuser_counts_the_drafts_at_once(plant):
    """A superuser reads the whole register, drafts included; that flag is no group, so no
    generation moves: the counts are kept per kind of reader, not only per person."""
    PolicyDocumentFactory(issuing_department=plant.office)
    PolicyDocumentFactory(issuing_department=plant.office, status=PolicyDocument.Status.DRAFT)
    user = plant.sales_member.user
    assert register_counts_cached(user=User.objects.get(pk=user.pk), filters={}).total == 1
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert register_counts_cached(user=User.objects.get(pk=user.pk), filters={}).total == 2


def test_a_total_kept_from_before_a_change_never_hides_a_page(client, english, intranet, plant):
    """Documents written behind the services' back (so the generation does not move): the
    first page may show the old total, but the page before the last finds more documents than
    it said and counts them, and the last page counts itself."""
    for _ in range(35):
        PolicyDocumentFactory(issuing_department=plant.office, year=2026)
    client.force_login(plant.sales_member.user)
    assert "35 documents" in client.get("/documents/").content.decode()
    PolicyDocument.objects.bulk_create(
        [
            PolicyDocument(
                issuing_department=plant.office,
                number_prefix="厂办",
                year=2020,
                sequence=i + 1,
                title=f"后来的制度{i}",
                level=PolicyDocument.Level.FACTORY,
                status=PolicyDocument.Status.IN_FORCE,
            )
            for i in range(40)
        ]
    )
    second = client.get("/documents/", {"page": 2}).content.decode()
    assert "75 documents" in second and "Page 2 of 3" in second and "page=3" in second
    last = client.get("/documents/", {"page": 3}).content.decode()
    assert "75 documents" in last and "Page 3 of 3" in last
    assert last.count('class="doc-row"') == 15
