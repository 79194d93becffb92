"""The audit log: one service records who did what to which object; nobody edits it."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.models import AuditEntry
from portal.roles import membership_record
from portal.services import audit_record, user_issue_password
from tests.conftest import make_role_user
from tests.factories.documents import CircularReportFactory
from tests.factories.people import EmployeeFactory, RetailerLoginFactory

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
    # A code nobody declared still reads as words.
    assert "demo · action" in listing.content.decode()
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


# Sentences with names (portal/audit.py, each app's audit.py) ---------------------------------


def _named(name, number):
    return EmployeeFactory(name=name, employee_number=number).user


def test_an_entry_reads_as_a_sentence_with_the_actors_name_in_chinese_and_english():
    head = _named("王芳", "E09001")
    report = CircularReportFactory(title="2026-07 月度计划")
    entry = audit_record(actor=head, action="report.returned_to_drafter", target=report)
    entry = AuditEntry.objects.select_related("actor__employee").get(pk=entry.pk)
    with translation.override("zh-hans"):
        assert entry.sentence() == "王芳将报告“2026-07 月度计划”退回起草人"
        assert entry.action_label() == "报告退回起草人"
    with translation.override("en"):
        assert entry.sentence() == "王芳 returned the report 2026-07 月度计划 to its drafter"
        assert entry.action_label() == "Report returned to its drafter"
    assert "E09001" not in entry.sentence() and "E09001" not in str(entry)


def test_a_retailer_login_is_named_by_its_store_and_nobody_by_the_system():
    login = RetailerLoginFactory(retailer__store_name="西湖便利店")
    order_entry = audit_record(actor=login.user, action="order.placed", target=login.retailer)
    system_entry = audit_record(actor=None, action="retailer.grades_recompute_requested")
    with translation.override("zh-hans"):
        assert order_entry.sentence().startswith("西湖便利店提交了订单")
        assert system_entry.sentence() == "系统申请重新计算零售客户档位"
    with translation.override("en"):
        assert (
            system_entry.sentence() == "The system asked for the retailers' grades to be recomputed"
        )


def test_a_person_acted_on_is_named_too_not_by_their_login_id():
    admin = _named("李娜", "E09002")
    target = _named("刘强", "E09003")
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name="sales_administrator")
    from portal.actors import acting_as

    with acting_as(admin):
        membership_record(users=[target], groups=[group], granted=True)
    entry = AuditEntry.objects.get(action="role.granted", target_id=str(target.pk), actor=admin)
    with translation.override("en"):
        assert entry.sentence() == "李娜 gave 刘强 the role Sales administrator"
    with translation.override("zh-hans"):
        assert entry.sentence() == "李娜授予刘强角色“销售管理员”"


def test_an_undeclared_code_and_an_entry_lacking_its_data_still_read_as_words():
    actor = _named("陈静", "E09004")
    audit_record(actor=actor, action="warehouse.pallet_moved", target=actor)
    # notice.sent names its recipients' count; an entry without it falls back, not fails.
    audit_record(actor=actor, action="notice.sent", target=actor)
    unknown = AuditEntry.objects.get(action="warehouse.pallet_moved")
    lacking = AuditEntry.objects.get(action="notice.sent")
    with translation.override("en"):
        assert unknown.sentence() == "陈静: warehouse · pallet moved 陈静"
        assert lacking.sentence() == "陈静: Mass notice sent 陈静"


def test_the_admin_lists_sentences_and_filters_by_readable_actions(client, intranet):
    head = _named("王芳", "E09005")
    report = CircularReportFactory(title="质量月报")
    audit_record(actor=head, action="report.returned_to_drafter", target=report)
    audit_record(actor=head, action="report.accepted", target=report)
    client.force_login(make_role_user("superuser"))
    with translation.override("zh-hans"):
        listing = client.get(reverse("auditentry:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        page = listing.content.decode()
        assert "王芳将报告“质量月报”退回起草人" in page
        assert "E09005" not in page
        # The filter offers the actions by their labels.
        assert '<option value="report.returned_to_drafter">报告退回起草人</option>' in page
        filtered = client.get(
            reverse("auditentry:index"), {"action": "report.accepted"}
        ).content.decode()
        assert "王芳接收了报告“质量月报”" in filtered
        assert "退回起草人</td>" not in filtered and "王芳将报告" not in filtered
