"""Writes of retailers: the profile, the logins that act for a retailer, and the grades and
customer value computed from the orders."""

import secrets
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from extranet import rules
from extranet.crm.models import Retailer, RetailerLogin
from extranet.crm.tasks import grades_recompute_task
from extranet.market.services import grade_changes_record
from extranet.ordering.models import Order, OrderLine
from portal.models import User
from portal.permissions import Role
from portal.refusals import Refusal
from portal.services import audit_record, user_issue_password
from portal.tasks import email_send
from portal.user_cache import user_forget, users_forget_all

# The five information groups of source 002, item by item, in 002's order. An item is static
# (kept by the sales administrators), dynamic (002: "changes regularly ... customer status,
# telephone number, settlement method, bank account number, delivery routes, order cycle,
# visit cycle": kept by the store's account manager, and by the sales administrators) or
# read-only here (the licence number is the key; the delivery staff is the route's). Items
# beyond 002's 38 (credit limit, customer since, the value inputs, notes) sit in the group
# they belong to. System data (002's third kind) is never in a form.
READ_ONLY_ITEMS = ("licence_number", "delivery_staff")
INFORMATION_GROUPS = [
    (
        "basic",
        pgettext_lazy("retailer profile", "Basic information"),
        [
            "store_name",
            "licence_number",  # also the monopoly licence number of the management group
            "legal_representative",
            "settlement",
            "order_day",  # the order cycle
            "credit_limit",
        ],
    ),
    (
        "network",
        pgettext_lazy("retailer profile", "Network information"),
        [
            "customer_nature",
            "registered_capital",
            "display_form",
            "region",
            "business_area",
            "account_manager",
            "phone_order_staff",
            "delivery_staff",
            "delivery_section",
            "route",
            "order_batch",
            "visit_batch",
            "order_frequency",
            "network_size",
            "visit_cycle",
        ],
    ),
    (
        "management",
        pgettext_lazy("retailer profile", "Management information"),
        [
            "licence_type",
            "compliance",
            "licensing_bureau",
            "monopoly_administrator",
            "customer_class",
            "integrity_level",
            "is_monitored_household",
            "is_model_household",
            "licence_issued_on",
            "licence_expires_on",
            "annual_review_on",
            "customer_since",
        ],
    ),
    (
        "business",
        pgettext_lazy("retailer profile", "Business information"),
        [
            "business_status",
            "support_score",  # the store's cooperation
            "business_characteristics",
            "district_environment",
            "influence_score",
        ],
    ),
    (
        "personal",
        pgettext_lazy("retailer profile", "Personal information"),
        ["contact_name", "contact_phone", "address", "mailing_address", "contact_notes"],
    ),
]
DYNAMIC_FIELDS = [
    "settlement",
    "order_day",
    "delivery_section",
    "route",
    "visit_cycle",
    "business_status",
    "support_score",
    "business_characteristics",
    "district_environment",
    "influence_score",
    "contact_name",
    "contact_phone",
    "mailing_address",
    "contact_notes",
]
STATIC_FIELDS = [
    name
    for _key, _title, names in INFORMATION_GROUPS
    for name in names
    if name not in DYNAMIC_FIELDS and name not in READ_ONLY_ITEMS
]


def retailer_create(
    *,
    licence_number: str,
    store_name: str,
    legal_representative: str = "",
    account_manager=None,
    actor=None,
    **fields,
) -> Retailer:
    """Register a licensed retailer (no login yet; see `retailer_login_create`)."""
    unknown = set(fields) - set(STATIC_FIELDS) - set(DYNAMIC_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        retailer = Retailer.objects.create(
            licence_number=licence_number,
            store_name=store_name,
            legal_representative=legal_representative,
            account_manager=account_manager,
            **fields,
        )
        audit_record(actor=actor, action="retailer.created", target=retailer)
    return retailer


def _audit_value(value):
    if hasattr(value, "pk"):
        return str(value)
    return None if value is None else str(value)


def retailer_update(*, retailer: Retailer, actor, changes: dict, group: str) -> list[str]:
    """Change fields of one group ("static" or "dynamic") of a retailer's profile; system data
    cannot be changed here. Records the old and new values in the audit log; returns the names
    of the fields that changed."""
    allowed = {"static": STATIC_FIELDS, "dynamic": DYNAMIC_FIELDS}[group]
    if set(changes) - set(allowed):
        raise ValueError(f"Not {group} fields: {sorted(set(changes) - set(allowed))}")
    with transaction.atomic():
        locked = Retailer.objects.select_for_update().get(pk=retailer.pk)
        changed = {}
        for name, value in changes.items():
            old = getattr(locked, name)
            if old != value:
                changed[name] = [_audit_value(old), _audit_value(value)]
                setattr(locked, name, value)
        if changed:
            locked.save(update_fields=list(changed))
            audit_record(
                actor=actor,
                action={
                    "static": "retailer.static_changed",
                    "dynamic": "retailer.dynamic_changed",
                }[group],
                target=locked,
                data={"changes": changed},
            )
    for name in changed:
        setattr(retailer, name, getattr(locked, name))
    return list(changed)


def retailer_login_create(
    *, retailer: Retailer, username: str, email: str = "", password: str | None = None, actor=None
) -> User:
    """Issue an extranet login acting for `retailer`. Retailer logins hold only the retailer
    role and can never sign in on the intranet."""
    with transaction.atomic():
        # The store's name is what the login shows as its own in the header and messages.
        user = User(
            username=username,
            email=email,
            kind=User.Kind.RETAILER,
            first_name=retailer.store_name[:150],
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name=Role.RETAILER))
        RetailerLogin.objects.create(user=user, retailer=retailer)
        audit_record(
            actor=actor,
            action="retailer.login_issued",
            target=retailer,
            data={"username": username},
        )
    return user


def _generated_password() -> str:
    # Easy to read out on the phone: no 0/O or 1/l/I.
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _index in range(12))


def _password_deliver(*, user: User, password: str, deliver: str) -> str | None:
    """Hand a newly issued password over: "show" returns it (shown once on the page that
    issued it, never stored in clear); "mail" queues a mail to the login's address on commit
    and returns None."""
    if deliver == "mail":
        if not user.email:
            raise Refusal(_("This login has no email address; show the password instead."))
        subject = _("Your ordering login")
        body = _(
            "Your login name is %(username)s and your password is %(password)s. "
            "You will be asked to choose your own password when you sign in."
        ) % {"username": user.username, "password": password}
        to = [user.email]
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))
        return None
    return password


def retailer_login_issue(
    *, retailer: Retailer, username: str, email: str = "", deliver: str = "show", actor
) -> tuple[User, str | None]:
    """Staff issue a new login for `retailer` with a generated password that must be changed at
    the first sign-in. Returns the user and the password when it is to be shown (deliver="show")
    or None when it was mailed (deliver="mail")."""
    username = (username or "").strip()
    if not username:
        raise Refusal(_("Give a login name."))
    if User.objects.filter(username__iexact=username).exists():
        raise Refusal(_("The login name %(name)s is taken.") % {"name": username})
    if deliver == "mail" and not email:
        raise Refusal(_("Give an email address to mail the password to."))
    password = _generated_password()
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = retailer_login_create(
                    retailer=retailer, username=username, email=email, actor=actor
                )
        except IntegrityError:
            raise Refusal(_("The login name %(name)s is taken.") % {"name": username}) from None
        user_issue_password(user=user, password=password, actor=actor)
        shown = _password_deliver(user=user, password=password, deliver=deliver)
    return user, shown


def retailer_login_password_reset(*, login: RetailerLogin, deliver: str, actor) -> str | None:
    """Issue a new generated password for a retailer's login (the old one stops working); it
    must be changed at the next sign-in. Returns it when it is to be shown, else None."""
    password = _generated_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=login.user_id)
        if not user.is_active:
            raise Refusal(_("This login is deactivated."))
        user_issue_password(user=user, password=password, actor=actor)
        audit_record(
            actor=actor,
            action="retailer.login_password_reset",
            target=login.retailer,
            data={"username": user.username, "delivered_by": deliver},
        )
        shown = _password_deliver(user=user, password=password, deliver=deliver)
    return shown


def retailer_login_deactivate(*, login: RetailerLogin, actor) -> bool:
    """Stop a retailer's login from signing in (its orders and history stay). Returns False
    when it was already inactive."""
    with transaction.atomic():
        updated = User.objects.filter(pk=login.user_id, is_active=True).update(is_active=False)
        user_forget(login.user_id)  # update() sends no signal
        if updated:
            audit_record(
                actor=actor,
                action="retailer.login_deactivated",
                target=login.retailer,
                data={"username": login.user.username},
            )
    return bool(updated)


# Grades and customer value --------------------------------------------------------------------


def _years_between(start, end) -> Decimal:
    if start is None:
        return Decimal("0")
    return Decimal((end - start).days) / Decimal("365.25")


def _value_components(retailer, *, contribution: Decimal, today) -> dict[str, Decimal]:
    return {
        "contribution": contribution,
        "support": Decimal(min(retailer.support_score, 10)) / 10,
        "credit": Decimal(max(min(retailer.integrity_level, 5), 1) - 1) / 4,
        "relationship": min(_years_between(retailer.customer_since, today), Decimal(10)) / 10,
        "influence": Decimal(min(retailer.influence_score, 10)) / 10,
    }


def grades_recompute(*, now: datetime | None = None, actor=None) -> int:
    """Recompute every retailer's system data from its orders over the grade's window (the
    whole calendar months before this one, see rules.grade_window): monthly cartons and amount,
    average price per carton, grade, value score, its parts and class. Only confirmed and later
    orders count (rules.GRADE_COUNTED_STATUSES); a store averages over the months it traded.
    Idempotent (the same orders give the same figures), so a repeated run is harmless.
    Returns the number of retailers whose data changed."""
    now = now or timezone.now()
    window = rules.grade_window(now)
    totals = {
        row["order__retailer_id"]: row
        for row in OrderLine.objects.filter(
            order__placed_at__gte=window.start,
            order__placed_at__lt=window.end,
            order__status__in=rules.GRADE_COUNTED_STATUSES,
        )
        .values("order__retailer_id")
        .annotate(cartons=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    }
    first_orders = dict(
        Order.objects.filter(retailer_id__in=list(totals))
        .values("retailer_id")
        .annotate(first=Min("placed_at"))
        .order_by()
        .values_list("retailer_id", "first")
    )
    today = timezone.localdate(now)
    stores = list(
        Retailer.objects.only(
            "pk",
            "business_status",
            "support_score",
            "influence_score",
            "integrity_level",
            "customer_since",
            *SYSTEM_FIELDS,
        )
    )
    monthly = {}  # retailer id: (months traded, cartons, amount)
    for retailer in stores:
        row = totals.get(retailer.pk, {})
        started = retailer.customer_since
        first = first_orders.get(retailer.pk)
        if first is not None:
            first = timezone.localdate(first)
            started = min(started, first) if started else first
        monthly[retailer.pk] = (
            rules.months_traded(window, started),
            int(row.get("cartons") or 0),
            Decimal(row.get("amount") or 0),
        )
    active_amounts = sorted(
        amount / months
        for retailer in stores
        if retailer.business_status == Retailer.BusinessStatus.OPEN
        for months, cartons, amount in [monthly[retailer.pk]]
        if amount > 0
    )
    weights = rules.value_weights()
    weight_sum = sum(weights.values()) or Decimal("1")
    changed = []
    grade_moves = []  # (retailer id, old grade, new grade): the grade history
    quant = Decimal("0.01")
    with transaction.atomic():
        for retailer in stores:
            months, cartons, amount = monthly[retailer.pk]
            monthly_amount = amount / months
            grade = rules.grade_for_cases(rules.monthly_cases(cartons, months=months))
            components = _value_components(
                retailer,
                contribution=rules.contribution_rank(monthly_amount, active_amounts),
                today=today,
            )
            score = sum(weights.get(key, 0) * value for key, value in components.items())
            score = (score / weight_sum).quantize(Decimal("0.0001"))
            new = {
                "grade": grade,
                "monthly_cartons": (Decimal(cartons) / months).quantize(quant),
                "monthly_amount": monthly_amount.quantize(quant),
                "average_carton_price": (amount / cartons).quantize(quant)
                if cartons
                else Decimal("0.00"),
                "value_score": score,
                "value_parts": {
                    key: str(value.quantize(Decimal("0.0001"))) for key, value in components.items()
                },
                "value_class": rules.value_class_for(score, has_purchases=cartons > 0),
            }
            if any(getattr(retailer, key) != value for key, value in new.items()):
                if retailer.grade != grade:
                    grade_moves.append((retailer.pk, retailer.grade, grade))
                for key, value in new.items():
                    setattr(retailer, key, value)
                retailer.computed_at = now
                changed.append(retailer)
        Retailer.objects.bulk_update(changed, SYSTEM_FIELDS, batch_size=1000)
        if changed:
            users_forget_all()  # bulk_update sends no signal; the logins' users show the store
        grade_changes_record(changes=grade_moves, at=now)
        audit_record(
            actor=actor,
            action="retailer.grades_recomputed",
            data={
                "changed": len(changed),
                "since": window.start.isoformat(),
                "until": window.end.isoformat(),
            },
        )
    return len(changed)


SYSTEM_FIELDS = [
    "grade",
    "monthly_cartons",
    "monthly_amount",
    "average_carton_price",
    "value_score",
    "value_parts",
    "value_class",
    "computed_at",
]


def grades_recompute_request(*, actor) -> None:
    """Queue a recomputation (the staff button): it runs in the worker, not in the request."""
    with transaction.atomic():
        audit_record(actor=actor, action="retailer.grades_recompute_requested")
        transaction.on_commit(lambda: grades_recompute_task.enqueue())
