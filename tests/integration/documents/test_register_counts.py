"""The register's cached counts follow a change of the reader's department, groups or
headship at once (the cache generation moves on), not after the cache expires."""

import pytest
from django.contrib.auth.models import Group

from documents.register.models import PolicyDocument
from documents.register.selectors import register_facets_cached
from documents.register.services import access_grant_department, access_grant_group
from portal.models import User
from tests.factories.documents import PolicyDocumentFactory

pytestmark = pytest.mark.django_db


def in_force_count(user) -> int:
    # A fresh user object: the employee and roles are cached per request on the user.
    fresh = User.objects.get(pk=user.pk)
    facets = register_facets_cached(user=fresh, filters={})
    return sum(f.count for f in facets["status"] if f.value == PolicyDocument.Status.IN_FORCE)


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
    register_facets_cached(user=reader, filters={})
    # The employee and roles are already read: a second call runs no query at all.
    with django_assert_num_queries(0):
        register_facets_cached(user=reader, filters={})
