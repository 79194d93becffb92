"""The audit log: one service records who did what to which object; nobody edits it."""

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from portal.services import audit_record, user_issue_password
from tests.conftest import make_role_user

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_action_target_and_reason(rf, employee):
    actor = make_role_user("identity_auditor")
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    entry = audit_record(
        actor=actor,
        action="forum.identity_revealed",
        target=employee,
        reason="Threats in post 42",
        data={"post": 42},
        request=request,
    )
    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.target == employee
    assert entry.reason == "Threats in post 42"
    assert entry.data == {"post": 42}
    assert entry.ip_address == "10.1.2.3"


def test_issuing_a_password_is_audited(employee):
    admin = make_role_user("superuser")
    user_issue_password(user=employee, password="Issued-Pass-42", actor=admin)
    entry = AuditEntry.objects.get(action="user.password_issued")
    assert entry.actor == admin and entry.target == employee


def test_system_administrators_read_the_audit_log_and_nobody_edits_it(client, intranet, employee):
    entry = audit_record(actor=None, action="demo.action", target=employee)
    admin = make_role_user("superuser")
    client.force_login(admin)
    listing = client.get(reverse("auditentry:index"))
    assert listing.status_code == 200
    assert "demo.action" in listing.content.decode()
    assert client.get(reverse("auditentry:add")).status_code in (302, 403)
    assert client.get(reverse("auditentry:edit", args=[entry.pk])).status_code in (302, 403)
    assert client.post(reverse("auditentry:delete", args=[entry.pk])).status_code in (302, 403)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_other_roles_cannot_read_the_audit_log(client, intranet):
    client.force_login(make_role_user("department_head"))
    response = client.get(reverse("auditentry:index"))
    assert response.status_code in (302, 403)


def test_the_audit_log_listing_has_bounded_queries(client, intranet, employee):
    from tests.querycount import assert_bounded_queries

    def grow(n):
        for number in range(AuditEntry.objects.count(), n):
            audit_record(actor=employee, action=f"demo.action{number}", target=employee)

    client.force_login(make_role_user("superuser"))
    assert_bounded_queries(client, reverse("auditentry:index"), grow, max_queries=25)
