"""Writes to the people model (accounts, employees, deactivation) and the audit log."""

import logging

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.models import AuditEntry, Employee, User
from portal.permissions import Role, role_permissions

logger = logging.getLogger(__name__)


def _person_name(target) -> str:
    """A user acted on is named as colleagues know them, not by their login id (read here
    without caching it on the user: their directory entry may be created just after)."""
    if not isinstance(target, User):
        return ""
    name = Employee.objects.filter(user_id=target.pk).values_list("name", flat=True).first()
    return name or f"{target.first_name} {target.last_name}".strip()


def audit_record(
    *, actor, action: str, target=None, reason: str = "", data: dict | None = None, request=None
) -> AuditEntry:
    """Record that `actor` did `action` to `target`. Call it inside the transaction of the change,
    so that the change and its record are saved together or not at all."""
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        reason=reason,
        data=data or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.target_id = str(target.pk)
        entry.target_repr = (_person_name(target) or str(target))[:255]
    if request is not None:
        entry.ip_address = request.META.get("REMOTE_ADDR") or None
    entry.save()
    return entry


def roles_sync() -> list[str]:
    """Create the role groups and give each exactly the permissions `role_permissions()` lists for
    it (permissions of apps not yet migrated are skipped). Idempotent; returns what it changed."""
    changes = []
    for role in Role:
        group, created = Group.objects.get_or_create(name=role.value)
        if created:
            changes.append(f"created group {role.value}")
        wanted = set()
        for dotted in role_permissions().get(role, ()):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                logger.info("Permission %s does not exist yet; skipped for %s", dotted, role)
                continue
            wanted.add(permission.pk)
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
            changes.append(f"set {len(wanted)} permissions on {role.value}")
    return changes


def user_issue_password(*, user: User, password: str, actor=None) -> None:
    """An administrator hands out a password: the user must replace it at the next login."""
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(actor=actor, action="user.password_issued", target=user)


def user_set_own_password(*, user: User, password: str) -> None:
    """The user chose a password themselves (change or reset): the issued one is gone."""
    user.set_password(password)
    user.must_change_password = False


def employee_create(
    *,
    employee_number: str,
    name: str,
    department,
    email: str = "",
    position=None,
    phone: str = "",
    extension: str = "",
    office: str = "",
    password: str | None = None,
    roles: tuple[Role, ...] = (Role.EMPLOYEE,),
    actor=None,
) -> Employee:
    """Issue an account and a directory entry to a member of staff. Every employee holds the
    employee role; the others are added as given."""
    with transaction.atomic():
        user = User(username=employee_number, email=email, kind=User.Kind.EMPLOYEE)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        wanted = {Role.EMPLOYEE, *roles}
        user.groups.set(Group.objects.filter(name__in=wanted))
        employee = Employee.objects.create(
            user=user,
            employee_number=employee_number,
            name=name,
            department=department,
            position=position,
            phone=phone,
            extension=extension,
            office=office,
        )
        audit_record(actor=actor, action="employee.created", target=employee)
    return employee


def employee_update(
    *,
    employee: Employee,
    actor,
    email: str,
    is_active: bool,
    password: str = "",
    fields: dict,
) -> Employee:
    """An administrator edits a person's directory entry and account. A password given here is
    issued (the person must change it at the next sign-in); switching `is_active` off
    deactivates (see `employee_deactivate`)."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(employee, name, value)
        employee.save()
        user = employee.user
        if user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        audit_record(actor=actor, action="employee.updated", target=employee)
        if password:
            user_issue_password(user=user, password=password, actor=actor)
        if is_active != user.is_active:
            if is_active:
                employee_reactivate(employee=employee, actor=actor)
            else:
                employee_deactivate(employee=employee, actor=actor)
    return employee


def employee_deactivate(*, employee: Employee, actor, reason: str = "") -> None:
    """Someone who left: hidden from the directory, the search and notice recipients, and unable
    to sign in (Django refuses inactive users); their account, history and everything they wrote
    stay. Their open sessions end at the next request, since authentication re-checks."""
    with transaction.atomic():
        user = employee.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="employee.deactivated", target=employee, reason=reason)


def employee_reactivate(*, employee: Employee, actor) -> None:
    with transaction.atomic():
        user = employee.user
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="employee.reactivated", target=employee)


def site_ensure(
    *, site_name: str, page_model, title: str, slug: str, hostname: str, port: int, default: bool
):
    """Make sure the face's Wagtail site exists with a home page of `page_model` as its root.

    Idempotent. Wagtail's placeholder welcome page is removed the first time.
    """
    from wagtail.models import Page, Site

    from portal.sites import forget_sites

    root = Page.get_first_root_node()
    if root is None:
        return None
    with transaction.atomic():
        home = page_model.objects.first()
        if home is None:
            home = root.add_child(instance=page_model(title=title, slug=slug))
        site, _created = Site.objects.get_or_create(
            site_name=site_name,
            defaults={
                "hostname": hostname,
                "port": port,
                "root_page": home,
                "is_default_site": default,
            },
        )
        if site.root_page_id != home.pk:
            site.root_page = home
            site.save(update_fields=["root_page"])
        welcome = Page.objects.filter(
            depth=2, slug="home", content_type=ContentType.objects.get_for_model(Page)
        ).first()
        if welcome is not None and welcome.numchild == 0:
            welcome.delete()
    forget_sites()
    return site
