"""Who may do what in the people part of the portal, and the roles of DESIGN.md.

A role is a Django group with a fixed name; its permissions are kept in step by
`portal.services.roles_sync()` after every migration. Feature apps add the permissions their
roles need to `ROLE_PERMISSIONS` through their own `permissions.py` and ask `has_role()` here,
so that the name of a group is spelled in one place only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DOCUMENT_MANAGER = "document_manager", _("Document manager")
    KNOWLEDGE_EDITOR = "knowledge_editor", _("Knowledge editor")
    FORUM_MODERATOR = "forum_moderator", _("Forum moderator")
    IDENTITY_AUDITOR = "identity_auditor", _("Identity auditor")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    SALES_ADMINISTRATOR = "sales_administrator", _("Sales administrator")
    RETAILER = "retailer", _("Retailer")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")


# Permissions ("app_label.codename") each role's group holds. Roles that work in Wagtail admin
# get access to it; the feature issues extend these lists with their own permissions.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.EMPLOYEE: [],
    Role.DEPARTMENT_HEAD: ["wagtailadmin.access_admin"],
    Role.DOCUMENT_MANAGER: ["wagtailadmin.access_admin"],
    Role.KNOWLEDGE_EDITOR: ["wagtailadmin.access_admin"],
    Role.FORUM_MODERATOR: [],
    Role.IDENTITY_AUDITOR: [],
    Role.ACCOUNT_MANAGER: [],
    Role.SALES_ADMINISTRATOR: ["wagtailadmin.access_admin"],
    Role.RETAILER: [],
    Role.SYSTEM_ADMINISTRATOR: [
        "wagtailadmin.access_admin",
        "portal.view_auditentry",
        "portal.add_user",
        "portal.change_user",
        "portal.view_user",
        "portal.add_employee",
        "portal.change_employee",
        "portal.view_employee",
        "portal.add_department",
        "portal.change_department",
        "portal.view_department",
        "portal.add_position",
        "portal.change_position",
        "portal.view_position",
    ],
}


def roles_of(user) -> frozenset[str]:
    """The roles a user holds, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    """Whether the user holds the role; a superuser counts as a system administrator."""
    if role == Role.SYSTEM_ADMINISTRATOR and user.is_authenticated and user.is_superuser:
        return True
    return role in roles_of(user)


def may_use_face(user, face: str) -> bool:
    """Employees work on the intranet, retailers on the extranet; never the other way round."""
    if face == "extranet":
        return user.is_retailer
    return user.is_employee


def may_use_admin(user) -> bool:
    """Whether the user works in Wagtail admin (its link in the user menu): a superuser, or a
    role whose permissions include admin access. Read from ROLE_PERMISSIONS at call time, since
    feature apps extend it."""
    if not user.is_authenticated:
        return False
    admin_roles = {
        role
        for role, permissions in ROLE_PERMISSIONS.items()
        if "wagtailadmin.access_admin" in permissions
    }
    return user.is_superuser or bool(roles_of(user) & admin_roles)
