"""Who may publish on which board, and who manages a board's delegates.

Publishing is Wagtail's own page permission (add / change / publish) held by the board's editors
group, so that the admin and the intranet pages decide alike: a board's group holds the
department head and the delegates they named; the Director's Office's and the computer center's
groups also hold it on the factory channels.
"""

from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission

from portal.permissions import has_role

# Departments (by code) whose board editors publish on the factory channels.
CHANNEL_PUBLISHER_DEPARTMENTS = ("director-office", "computer-center")
# Wagtail page permissions a board's editors hold on it.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def managed_boards(user) -> dict[int, str]:
    """{id: tree path} of the boards `user` may publish on (read once per request, cached on
    the user)."""
    from bulletins.models import Board

    if not user.is_authenticated or not user.is_employee:
        return {}
    cached = getattr(user, "_bulletins_managed_boards", None)
    if cached is None:
        boards = Board.objects.all()
        if not user.is_superuser:
            publish = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename="publish_page"
            )
            boards = boards.filter(
                pk__in=GroupPagePermission.objects.filter(
                    group__user=user, permission__in=publish
                ).values("page_id")
            )
        cached = dict(boards.values_list("pk", "path"))
        user._bulletins_managed_boards = cached
    return cached


def may_manage_board(user, board) -> bool:
    """Whether `user` publishes on `board` and so sees its reports and all its notices."""
    return board.pk in managed_boards(user)


def may_name_delegates(user, board) -> bool:
    """Only the head of the board's department (or a system administrator) names delegates."""
    if not user.is_authenticated or board.department_id is None:
        return False
    if has_role(user, "system_administrator"):
        return True
    from portal.models import Department

    return Department.objects.filter(pk=board.department_id, head__user_id=user.pk).exists()
