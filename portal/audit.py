"""The audit log as sentences a reader understands: "王芳 returned report 2026-07 to its drafter".

Each app declares what its action codes mean in its own `audit.py` and registers them in its
`AppConfig.ready()`, so the core never imports a feature app:

    audit.register(
        AuditAction(
            "report.returned_to_drafter",
            label=_("Report returned to its drafter"),
            sentence=_("%(actor)s returned report %(target)s to its drafter"),
        ),
    )

A sentence may use `%(actor)s` (the actor's name: an employee's directory name, a retailer
login's store name, never a login id), `%(target)s` (the object as it was named when the entry
was written), `%(reason)s` and any plain value of the entry's `data`. `label` names the action on
its own, for filters. An unregistered code still reads as words (`sentence_of`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AuditAction:
    code: str
    label: str | Promise
    sentence: str | Promise
    # (entry data) -> more values for the sentence, e.g. a role's name for its code.
    params: Callable[[dict], dict] | None = None


REGISTRY: dict[str, AuditAction] = {}


def register(*actions: AuditAction) -> None:
    """Declare what action codes mean (registering a code again replaces its meaning)."""
    for action in actions:
        REGISTRY[action.code] = action


def actor_name(user) -> str:
    """Who did it, by name: the directory name of an employee, the store of a retailer login
    (its first name, set when the login is issued), "the system" for no one. Never the login
    id: a user without any name reads as an unnamed user."""
    return actor_named(None if user is None else user.get_full_name())


def actor_named(full_name: str | None) -> str:
    """`actor_name` of a user whose full name is `full_name` (None: no user)."""
    if full_name is None:
        return gettext("The system")
    return full_name or gettext("An unnamed user")


def _readable(code: str) -> str:
    """`retailer.login_issued` → `retailer · login issued`, for codes nobody declared."""
    return code.replace("_", " ").replace(".", " · ")


def label_of(code: str) -> str:
    """The action's name on its own (a filter's choice, a column)."""
    action = REGISTRY.get(code)
    if action is None:
        return _readable(code)
    return str(action.label)


def choices() -> list[tuple[str, str]]:
    """Every declared action as (code, label), sorted by label in the reader's language."""
    return sorted(
        ((code, label_of(code)) for code in REGISTRY), key=lambda choice: choice[1].lower()
    )


def sentence_of(entry) -> str:
    """The entry as one sentence in the reader's language, with the actor's name."""
    params = {
        key: value
        for key, value in (entry.data or {}).items()
        if isinstance(value, str | int | float) and not isinstance(value, bool)
    }
    # A person acted on reads by name (`target_names`), whatever was written at the time.
    target = getattr(entry, "target_name", "") or entry.target_repr
    params.update(actor=actor_name(entry.actor), target=target or "—", reason=entry.reason or "—")
    action = REGISTRY.get(entry.action)
    if action is not None:
        try:
            if action.params is not None:
                params.update(action.params(entry.data or {}))
            return str(action.sentence) % params
        except (KeyError, TypeError, ValueError):
            # A sentence naming data an old entry lacks reads as the generic form below.
            pass
    return gettext("%(actor)s: %(action)s %(target)s") % {
        "actor": params["actor"],
        "action": label_of(entry.action),
        "target": target,
    }


def target_names(entries) -> None:
    """Name the people the entries acted on (`target_name`), in one query: a user's entry
    written before their directory entry existed holds their login id as `target_repr`."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from portal.models import Employee

    entries = list(entries)
    user_type = ContentType.objects.get_for_model(get_user_model())
    ids = {entry.target_id for entry in entries if entry.target_type_id == user_type.pk}
    if not ids:
        return
    names = dict(Employee.objects.filter(user_id__in=ids).values_list("user_id", "name").iterator())
    for entry in entries:
        if entry.target_type_id == user_type.pk and entry.target_id.isdigit():
            entry.target_name = names.get(int(entry.target_id), "")


def _role_params(data: dict) -> dict:
    from portal.permissions import Role

    role = data.get("role", "")
    return {"role": Role(role).label if role in Role.values else role}


# The core's own actions (people, accounts and roles), registered in PortalConfig.ready().
AUDIT_ACTIONS = (
    AuditAction(
        "user.password_issued",
        pgettext_lazy("audit action", "Password issued"),
        _("%(actor)s issued a new password to %(target)s"),
    ),
    AuditAction(
        "user.activated", _("Account enabled"), _("%(actor)s enabled the account of %(target)s")
    ),
    AuditAction(
        "user.deactivated",
        _("Account disabled"),
        _("%(actor)s disabled the account of %(target)s"),
    ),
    AuditAction(
        "user.superuser_granted",
        _("Made a system administrator"),
        _("%(actor)s made %(target)s a system administrator"),
    ),
    AuditAction(
        "user.superuser_revoked",
        _("No longer a system administrator"),
        _("%(actor)s withdrew system administration from %(target)s"),
    ),
    AuditAction(
        "role.granted",
        _("Role granted"),
        _("%(actor)s gave %(target)s the role %(role)s"),
        params=_role_params,
    ),
    AuditAction(
        "role.revoked",
        _("Role withdrawn"),
        _("%(actor)s withdrew the role %(role)s from %(target)s"),
        params=_role_params,
    ),
    AuditAction("employee.created", _("Employee added"), _("%(actor)s added employee %(target)s")),
    AuditAction(
        "employee.updated",
        _("Employee details changed"),
        _("%(actor)s changed the details of employee %(target)s"),
    ),
    AuditAction(
        "employee.deactivated",
        _("Employee left"),
        _("%(actor)s recorded that %(target)s has left"),
    ),
    AuditAction(
        "employee.reactivated",
        _("Employee back"),
        _("%(actor)s recorded that %(target)s is back"),
    ),
)
