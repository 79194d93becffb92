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


def _managed_boards_sql() -> str:
    """The SQL of `managed_boards` for one user (its only parameter): the ORM's query, written
    out once (building it took as long as the rest of a board's permission checks)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from bulletins.models import Board
    from portal.models import User

    q = connection.ops.quote_name
    board = q(Board._meta.db_table)
    page = q(Board._meta.get_field("page_ptr").related_model._meta.db_table)
    grants = q(GroupPagePermission._meta.db_table)
    members = q(User.groups.through._meta.db_table)
    permission = q(Permission._meta.db_table)
    content_type = q(ContentType._meta.db_table)
    # Table and column names only (quoted); the user's id is the query's one parameter.
    return (
        f"SELECT b.page_ptr_id, p.path FROM {board} b"  # noqa: S608
        f" INNER JOIN {page} p ON b.page_ptr_id = p.id"
        f" WHERE b.page_ptr_id IN ("
        f"SELECT g.page_id FROM {grants} g"
        f" INNER JOIN {members} m ON g.group_id = m.group_id"
        f" INNER JOIN {permission} perm ON g.permission_id = perm.id"
        f" INNER JOIN {content_type} ct ON perm.content_type_id = ct.id"
        " WHERE m.user_id = %s AND perm.codename = 'publish_page'"
        " AND ct.app_label = 'wagtailcore')"
        " ORDER BY p.path"
    )


_MANAGED_BOARDS_SQL = []


def managed_boards(user) -> dict[int, str]:
    """{id: tree path} of the boards `user` may publish on: those of the groups holding
    Wagtail's publish permission on them (read once per request, cached on the user)."""
    from bulletins.models import Board

    if not user.is_authenticated or not user.is_employee:
        return {}
    cached = getattr(user, "_bulletins_managed_boards", None)
    if cached is None:
        if user.is_superuser:
            cached = dict(Board.objects.values_list("pk", "path"))
        else:
            from django.db import connection

            if not _MANAGED_BOARDS_SQL:
                _MANAGED_BOARDS_SQL.append(_managed_boards_sql())
            with connection.cursor() as cursor:
                cursor.execute(_MANAGED_BOARDS_SQL[0], [user.pk])
                cached = dict(cursor.fetchall())
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
