"""Writes for retailers (the CRM, catalogue and ordering issues extend this module)."""

from django.contrib.auth.models import Group
from django.db import transaction

from extranet.models import Retailer, RetailerLogin
from portal.models import User
from portal.permissions import Role
from portal.services import audit_record


def retailer_create(
    *,
    licence_number: str,
    store_name: str,
    legal_representative: str = "",
    account_manager=None,
    actor=None,
) -> Retailer:
    """Register a licensed retailer (no login yet; see `retailer_login_create`)."""
    with transaction.atomic():
        retailer = Retailer.objects.create(
            licence_number=licence_number,
            store_name=store_name,
            legal_representative=legal_representative,
            account_manager=account_manager,
        )
        audit_record(actor=actor, action="retailer.created", target=retailer)
    return retailer


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
