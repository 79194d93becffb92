"""Role grants and revokes are audited with actor and target however they are made, and nobody
gives themselves the identity-auditor role (issue 17 point 4)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction

from portal.actors import acting_as
from portal.models import AuditEntry, User
from portal.permissions import Role
from portal.refusals import Refusal
from portal.services import employee_create
from tests.conftest import make_role_user, sign_in
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(intranet):
    cache.clear()


def group(role):
    return Group.objects.get(name=role)


def role_entries(user, action):
    return [
        entry.data.get("role")
        for entry in AuditEntry.objects.filter(action=action, target_id=str(user.pk))
    ]


def user_form_data(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "Wei",
        "last_name": user.last_name or "Zhang",
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "password1": "",
        "password2": "",
    }
    data.update(changes)
    return data


def test_granting_a_role_in_the_admin_user_form_is_audited(client):
    admin, target = make_role_user("superuser"), make_role_user("employee")
    sign_in(client, admin)
    groups = [*user_form_data(target)["groups"], str(group(Role.FORUM_MODERATOR).pk)]
    response = client.post(f"/admin/users/edit/{target.pk}/", user_form_data(target, groups=groups))
    assert response.status_code == 302, response.context["form"].errors
    entry = AuditEntry.objects.get(action="role.granted", target_id=str(target.pk), actor=admin)
    assert entry.data == {"role": Role.FORUM_MODERATOR}
    # And taking it away again.
    groups.remove(str(group(Role.FORUM_MODERATOR).pk))
    client.post(f"/admin/users/edit/{target.pk}/", user_form_data(target, groups=groups))
    entry = AuditEntry.objects.get(action="role.revoked", target_id=str(target.pk))
    assert entry.actor == admin and entry.data == {"role": Role.FORUM_MODERATOR}


def test_a_superuser_cannot_make_themselves_identity_auditor_in_the_user_form(client):
    admin = make_role_user("superuser")
    sign_in(client, admin)
    groups = [*user_form_data(admin)["groups"], str(group(Role.IDENTITY_AUDITOR).pk)]
    response = client.post(
        f"/admin/users/edit/{admin.pk}/",
        user_form_data(admin, groups=groups, email="changed@example.com"),
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["groups"]
    assert error in response.content.decode() and "身份审计员" in error
    admin.refresh_from_db()
    assert not admin.groups.filter(name=Role.IDENTITY_AUDITOR).exists()
    assert admin.email != "changed@example.com"
    assert Role.IDENTITY_AUDITOR not in role_entries(admin, "role.granted")


def test_another_administrator_may_grant_the_identity_auditor_role(client):
    admin, target = make_role_user("superuser"), make_role_user("superuser")
    sign_in(client, admin)
    groups = [*user_form_data(target)["groups"], str(group(Role.IDENTITY_AUDITOR).pk)]
    response = client.post(f"/admin/users/edit/{target.pk}/", user_form_data(target, groups=groups))
    assert response.status_code == 302
    assert target.groups.filter(name=Role.IDENTITY_AUDITOR).exists()
    entry = AuditEntry.objects.get(action="role.granted", target_id=str(target.pk), actor=admin)
    assert entry.data["role"] == Role.IDENTITY_AUDITOR


def test_the_bulk_assign_role_action_refuses_a_self_grant_for_everyone(client):
    admin, other = make_role_user("superuser"), make_role_user("employee")
    sign_in(client, admin)
    auditors = group(Role.IDENTITY_AUDITOR)
    response = client.post(
        f"/admin/bulk/portal/user/assign_role/?id={admin.pk}&id={other.pk}",
        {"role": auditors.pk},
    )
    assert response.status_code == 403
    assert not auditors.user_set.exists()


def test_no_path_to_a_self_grant_not_even_from_the_group_side():
    user = make_role_user("superuser")
    auditors = group(Role.IDENTITY_AUDITOR)
    with acting_as(user), pytest.raises(Refusal), transaction.atomic():
        auditors.user_set.add(user)
    with acting_as(user), pytest.raises(Refusal), transaction.atomic():
        user.groups.add(auditors)
    assert not auditors.user_set.exists()


def test_changes_without_a_request_are_the_systems():
    employee = employee_create(
        employee_number="E9001",
        name="Wang",
        department=DepartmentFactory(),
        roles=(Role.DOCUMENT_MANAGER,),
    )
    user = employee.user
    granted = AuditEntry.objects.filter(action="role.granted", target_id=str(user.pk))
    assert {entry.data["role"] for entry in granted} == {Role.EMPLOYEE, Role.DOCUMENT_MANAGER}
    assert all(entry.actor is None and entry.data["by"] == "system" for entry in granted)
    user.groups.clear()
    assert set(role_entries(user, "role.revoked")) == {Role.EMPLOYEE, Role.DOCUMENT_MANAGER}


def test_superuser_and_active_flags_are_audited():
    user = make_role_user("employee")
    actor = make_role_user("superuser")
    with acting_as(actor):
        user.is_superuser = True
        user.save()
        user.is_active = False
        user.save()
        user.save(update_fields=["last_login"])
    actions = list(
        AuditEntry.objects.filter(target_id=str(user.pk), actor=actor)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["user.superuser_granted", "user.deactivated"]
    created = User.objects.create(username="root2", is_superuser=True)
    assert AuditEntry.objects.filter(
        action="user.superuser_granted", target_id=str(created.pk), actor=None
    ).exists()


def test_the_bulk_deactivation_in_the_admin_is_audited(client):
    admin, target = make_role_user("superuser"), make_role_user("employee")
    sign_in(client, admin)
    response = client.post(
        f"/admin/bulk/portal/user/set_active_state/?id={target.pk}", {"mark_as_active": "False"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    entry = AuditEntry.objects.get(action="user.deactivated", target_id=str(target.pk))
    assert entry.actor == admin


def test_no_group_takes_a_roles_name_so_no_role_is_handed_out_by_renaming(client):
    admin = make_role_user("superuser")
    mine = Group.objects.create(name="night shift")
    mine.user_set.add(admin)
    with pytest.raises(Refusal), transaction.atomic():
        auditors = group(Role.IDENTITY_AUDITOR)
        auditors.name = "old auditors"
        auditors.save()
    with pytest.raises(Refusal), transaction.atomic():
        mine.name = Role.IDENTITY_AUDITOR
        mine.save()
    sign_in(client, admin)
    mine.refresh_from_db()
    response = client.post(f"/admin/groups/edit/{mine.pk}/", {"name": Role.IDENTITY_AUDITOR})
    assert response.status_code in (200, 403)
    assert Group.objects.get(pk=mine.pk).name == "night shift"
