"""Boards are made for every department and the channels; who may publish where."""

import pytest
from django.contrib.auth.models import Group

from bulletins.models import Board, BulletinIndexPage, Notice
from bulletins.services import board_delegate_add, board_delegate_remove, bulletins_sync
from portal.models import AuditEntry
from tests.factories.bulletins import board_of, channel
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.integration.bulletins.conftest import make_head

pytestmark = pytest.mark.django_db


def test_migrations_make_the_index_and_the_three_channels():
    index = BulletinIndexPage.objects.get()
    assert index.get_parent().specific_class.__name__ == "IntranetHomePage"
    kinds = set(Board.objects.child_of(index).values_list("kind", flat=True))
    assert {Board.Kind.NEWS, Board.Kind.POLICIES, Board.Kind.INDUSTRY} <= kinds


def test_a_new_department_gets_a_board_with_an_editors_group(sales):
    board = board_of(sales)
    assert board.title == sales.name
    assert board.editors.name == "bulletins:sales"
    assert board.get_parent().specific_class is BulletinIndexPage


def test_board_set_up_is_idempotent(sales):
    bulletins_sync()
    bulletins_sync()
    assert Board.objects.filter(department=sales).count() == 1
    assert Board.objects.filter(kind=Board.Kind.NEWS).count() == 1
    assert Group.objects.filter(name="bulletins:sales").count() == 1


def test_a_notice_can_only_live_under_a_board(sales_board):
    assert Notice.can_create_at(sales_board)
    assert not Notice.can_create_at(BulletinIndexPage.objects.get())
    assert not Notice.can_create_at(BulletinIndexPage.objects.get().get_parent())
    assert Board.allowed_subpage_models() == [Notice]


def test_the_head_is_kept_in_the_editors_group_and_replaced_when_the_head_changes(sales):
    first = make_head(sales)
    group = board_of(sales).editors
    assert list(group.user_set.all()) == [first.user]
    second = make_head(sales)
    assert list(group.user_set.all()) == [second.user]


def test_head_of_sales_can_publish_on_sales_board_but_not_on_quality_board(
    sales_head, sales_board, quality_board
):
    user = sales_head.user
    assert sales_board.permissions_for_user(user).can_publish()
    assert sales_board.permissions_for_user(user).can_add_subpage()
    assert not quality_board.permissions_for_user(user).can_publish()
    assert not quality_board.permissions_for_user(user).can_add_subpage()
    assert not channel().permissions_for_user(user).can_publish()


def test_head_of_sales_cannot_add_a_notice_on_quality_board_in_the_admin(
    client, intranet, sales_head, sales_board, quality_board
):
    client.force_login(sales_head.user)
    assert client.get(f"/admin/pages/add/bulletins/notice/{sales_board.pk}/").status_code == 200
    response = client.get(f"/admin/pages/add/bulletins/notice/{quality_board.pk}/")
    assert response.status_code in (302, 403)
    assert response.status_code != 200


def test_director_office_and_computer_center_publish_on_the_channels():
    director = make_head(DepartmentFactory(code="director-office"))
    computer = make_head(DepartmentFactory(code="computer-center"))
    other = make_head(DepartmentFactory(code="storage"))
    for kind in Board.CHANNELS:
        board = channel(kind)
        assert board.permissions_for_user(director.user).can_publish()
        assert board.permissions_for_user(computer.user).can_publish()
        assert not board.permissions_for_user(other.user).can_publish()


def test_a_delegate_publishes_until_removed_and_both_are_audited(sales_head, sales_board):
    clerk = EmployeeFactory(department=sales_head.department)
    board_delegate_add(board=sales_board, user=clerk.user, actor=sales_head.user)
    assert sales_board.permissions_for_user(clerk.user).can_publish()
    board_delegate_remove(board=sales_board, user=clerk.user, actor=sales_head.user)
    fresh = type(clerk.user).objects.get(pk=clerk.user.pk)  # Wagtail caches permissions on it
    assert not sales_board.permissions_for_user(fresh).can_publish()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "bulletins.delegate_added" in actions and "bulletins.delegate_removed" in actions


def test_the_head_names_a_delegate_on_the_intranet_page(client, intranet, sales_head, sales_board):
    clerk = EmployeeFactory()
    client.force_login(sales_head.user)
    url = f"/bulletins/boards/{sales_board.pk}/delegates/"
    response = client.post(url, {"employee_number": clerk.employee_number})
    assert response.status_code == 302
    assert clerk.user in sales_board.editors.user_set.all()
    assert client.post(url, {"employee_number": "NOBODY"}).status_code == 400
    client.post(f"{url}{clerk.user.pk}/remove/")
    assert clerk.user not in sales_board.editors.user_set.all()


def test_only_the_head_reaches_the_delegates_page(client, intranet, sales_head, sales_board):
    client.force_login(EmployeeFactory(department=sales_head.department).user)
    assert client.get(f"/bulletins/boards/{sales_board.pk}/delegates/").status_code == 404


def test_a_notice_for_chosen_departments_must_name_one_in_the_admin(
    client, intranet, sales_head, sales_board, sales
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    client.force_login(sales_head.user)
    url = f"/admin/pages/add/bulletins/notice/{sales_board.pk}/"

    def post(departments=()):
        data = nested_form_data(
            {
                "title": "部门通知",
                "slug": "dept-notice",
                "body": rich_text("<p>内容</p>"),
                "attachments": inline_formset([]),
                "action-publish": "publish",
            }
        )
        data["audience_departments"] = [str(pk) for pk in departments]
        return client.post(url, data)

    response = post()
    assert response.status_code == 200
    assert not Notice.objects.exists()
    response = post([sales.pk])
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.live and list(notice.audience_departments.all()) == [sales]


def test_a_delegate_reaches_the_admin_to_publish(client, intranet, sales_head, sales_board):
    clerk = EmployeeFactory(department=sales_head.department)
    client.force_login(clerk.user)
    assert client.get("/admin/").status_code == 403  # no admin access yet: refused, no loop
    board_delegate_add(board=sales_board, user=clerk.user, actor=sales_head.user)
    response = client.get(f"/admin/pages/add/bulletins/notice/{sales_board.pk}/")
    assert response.status_code == 200


def test_a_removed_department_leaves_its_board_as_an_archive():
    department = DepartmentFactory(code="old-section")
    board = board_of(department)
    department.delete()
    board.refresh_from_db()
    assert board.department is None and board.live
