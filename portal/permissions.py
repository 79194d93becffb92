"""Who may do what in the people part of the portal, the roles of DESIGN.md, and the
fetch-or-deny primitives every view uses.

A role is a Django group with a fixed name; its permissions are kept in step by
`portal.services.roles_sync()` after every migration. Each app declares the permissions its
roles need as `ROLE_PERMISSIONS` in its own `permissions.py`; `role_permissions()` merges them
with the core's below. Apps ask `has_role()` here, so that the name of a group is spelled in
one place only.
"""

import functools
import inspect
from importlib import import_module

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DOCUMENT_MANAGER = "document_manager", _("Document manager")
    KNOWLEDGE_EDITOR = "knowledge_editor", _("Knowledge editor")
    FORUM_MODERATOR = "forum_moderator", _("Forum moderator")
    IDENTITY_AUDITOR = "identity_auditor", _("Identity auditor")
    ACCOUNT_MANAGER = "account_manager", pgettext_lazy("portal", "Account manager")
    SALES_ADMINISTRATOR = "sales_administrator", _("Sales administrator")
    RETAILER = "retailer", _("Retailer")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")


# Permissions ("app_label.codename") each role's group holds for the core. Roles that work in
# Wagtail admin get access to it; every app adds its own in its `permissions.py`.
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


@functools.cache
def role_permissions() -> dict[str, tuple[str, ...]]:
    """Every role's permissions: the core's `ROLE_PERMISSIONS` and those each installed app
    declares as `ROLE_PERMISSIONS` in its `permissions` module, merged without duplicates."""
    merged: dict[str, list[str]] = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        if config.name == __package__ or not module_has_submodule(config.module, "permissions"):
            continue
        declared = getattr(import_module(f"{config.name}.permissions"), "ROLE_PERMISSIONS", {})
        for role, perms in declared.items():
            current = merged.setdefault(role, [])
            current.extend(perm for perm in perms if perm not in current)
    return {role: tuple(perms) for role, perms in merged.items()}


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
    role whose permissions include admin access."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user) & _admin_roles())


@functools.cache
def _admin_roles() -> frozenset[str]:
    return frozenset(
        role
        for role, permissions in role_permissions().items()
        if "wagtailadmin.access_admin" in permissions
    )


def get_visible_or_404(queryset, **lookup):
    """The one object of `queryset` matching `lookup`, or 404. The queryset is what the user
    may see (a selector's answer), so "missing" and "not allowed" answer alike; a malformed
    key (not a number, not a UUID) is a 404 too, never a 500."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def require(predicate, *, deny=PermissionDenied):
    """View decorator: the view runs only when `predicate` holds, otherwise `deny` is raised
    (403 by default; `deny=Http404` where the page's existence is private).

    The predicate is called with the request's user and those of the view's keyword arguments
    that it names, so one decorator serves role checks (`require(is_sales_staff)`) and object
    checks (`require(may_edit_notice)` with `def may_edit_notice(user, notice_id)`)."""
    parameters = list(inspect.signature(predicate).parameters.values())
    takes_all = any(p.kind is p.VAR_KEYWORD for p in parameters)
    named = {p.name for p in parameters[1:] if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            arguments = kwargs if takes_all else {k: v for k, v in kwargs.items() if k in named}
            if not predicate(request.user, **arguments):
                raise deny
            return view(request, *args, **kwargs)

        wrapper.required = predicate
        return wrapper

    return decorator
