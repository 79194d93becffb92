"""Role grants and revokes: the audit records and the rule that nobody makes themselves an
identity auditor, however the change is made (Wagtail's user form or bulk actions, the
portal's services, a management command, the shell). The signal receivers in `signals.py`
call these; the admin's forms ask `self_grant_refusal()` first to show the rule as a form
error."""

from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from portal.actors import current_actor
from portal.permissions import Role
from portal.refusals import Refusal
from portal.services import audit_record

AUDITED_FLAGS = ("is_superuser", "is_active")


def self_grant_refusal(*, actor, user, group_names) -> Refusal | None:
    """The refusal when `actor` would give themselves the identity-auditor role: the role
    reveals who writes under every pseudonym, so another administrator must grant it."""
    if actor is None or user.pk is None or actor.pk != user.pk:
        return None
    if Role.IDENTITY_AUDITOR not in group_names:
        return None
    return Refusal(
        _(
            "You cannot give yourself the identity auditor role. Another administrator "
            "must grant it."
        ),
        status=403,
    )


def membership_check(*, users, groups) -> None:
    """Before group memberships are added: refuse a self-grant of the identity-auditor role."""
    actor = current_actor()
    if actor is None:
        return
    names = {group.name for group in groups}
    for user in users:
        refusal = self_grant_refusal(actor=actor, user=user, group_names=names)
        if refusal is not None:
            raise refusal


def group_rename_check(*, group) -> None:
    """A role is a group of a fixed name: renaming one to or from a role's name would hand its
    members a role (the identity auditor's too) without any membership change, so it is
    refused to everyone."""
    if group.pk is None:
        return
    before = Group.objects.filter(pk=group.pk).values_list("name", flat=True).first()
    if before is None or before == group.name:
        return
    if before in Role.values or group.name in Role.values:
        raise Refusal(
            _("A role's group keeps its name; no group may take the name of a role."),
            status=403,
        )


def membership_record(*, users, groups, granted: bool) -> None:
    """Audit each (user, group) pair that was added or removed, with the current actor."""
    actor = current_actor()
    action = "role.granted" if granted else "role.revoked"
    for user in users:
        for group in groups:
            audit_record(
                actor=actor,
                action=action,
                target=user,
                data=_details(actor, role=group.name),
            )


def flags_record(*, user, before: dict, created: bool) -> None:
    """Audit a change of the superuser or active flag (or a superuser made from scratch)."""
    actor = current_actor()
    for flag in AUDITED_FLAGS:
        now = getattr(user, flag)
        if created:
            if flag != "is_superuser" or not now:
                continue
        elif before.get(flag, now) == now:
            continue
        if flag == "is_active":
            action = "user.activated" if now else "user.deactivated"
        else:
            action = "user.superuser_granted" if now else "user.superuser_revoked"
        audit_record(actor=actor, action=action, target=user, data=_details(actor))


def groups_of(pks) -> list[Group]:
    return list(Group.objects.filter(pk__in=pks))


def _details(actor, **data) -> dict:
    if actor is None:
        data["by"] = "system"
    return data
