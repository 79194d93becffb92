"""The extranet app's own receivers, connected by `ExtranetConfig.ready()` (the domain
subpackages keep theirs in their own `signals.py`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from extranet.catalogue.models import DeliveryRoute
from extranet.crm.models import Retailer, RetailerLogin, Visit
from extranet.crm.visits import visits_forget
from extranet.feedback.models import Feedback
from extranet.feedback.selectors import feedback_forget
from extranet.ordering.models import Order
from extranet.ordering.selectors import orders_forget
from portal.models import Department, Employee
from portal.user_cache import user_forget


@receiver(post_save, sender=RetailerLogin, dispatch_uid="user_cache_retailer_login_saved")
@receiver(post_delete, sender=RetailerLogin, dispatch_uid="user_cache_retailer_login_deleted")
def user_cache_login_changed(sender, instance, raw=False, **kwargs):
    """A retailer login's user is cached with its store (portal/user_cache.py)."""
    if not raw:
        user_forget(instance.user_id)


@receiver(post_save, sender=Retailer, dispatch_uid="user_cache_retailer_saved")
def user_cache_retailer_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        user_forget(*instance.logins.values_list("user_id", flat=True))


# What the visit pages keep (extranet.desk.visits_kept) shows visits, their stores (name,
# address, account manager, visit cycle, whether closed) and the account managers' names.
@receiver(post_save, sender=Visit, dispatch_uid="visits_kept_visit_saved")
@receiver(post_delete, sender=Visit, dispatch_uid="visits_kept_visit_deleted")
@receiver(post_save, sender=Retailer, dispatch_uid="visits_kept_retailer_saved")
@receiver(post_delete, sender=Retailer, dispatch_uid="visits_kept_retailer_deleted")
@receiver(post_save, sender=Employee, dispatch_uid="visits_kept_employee_saved")
@receiver(post_delete, sender=Employee, dispatch_uid="visits_kept_employee_deleted")
def visits_kept_source_changed(sender, raw=False, **kwargs):
    if not raw:
        visits_forget()


# What the feedback desk keeps (extranet.feedback.desk_kept) counts the items by account
# manager (shown by name) and month, and who sees them depends on who heads sales. The alerts'
# own marks change none of it.
FEEDBACK_UNSEEN_FIELDS = frozenset({"warned_at", "overdue_alerted_at"})


@receiver(post_save, sender=Feedback, dispatch_uid="feedback_kept_item_saved")
def feedback_kept_item_saved(sender, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= FEEDBACK_UNSEEN_FIELDS):
        return
    feedback_forget()


@receiver(post_delete, sender=Feedback, dispatch_uid="feedback_kept_item_deleted")
@receiver(post_save, sender=Employee, dispatch_uid="feedback_kept_employee_saved")
@receiver(post_delete, sender=Employee, dispatch_uid="feedback_kept_employee_deleted")
@receiver(post_save, sender=Department, dispatch_uid="feedback_kept_department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="feedback_kept_department_deleted")
def feedback_kept_source_changed(sender, raw=False, **kwargs):
    if not raw:
        feedback_forget()


# The order lists' kept lengths (extranet.desk.order_rows) count orders by day, status, the
# store's route and its account manager. Placing and moving orders on forget them in the
# services (SQL and updates, no signals).
ORDER_LIST_RETAILER_FIELDS = frozenset(
    {"route", "route_id", "account_manager", "account_manager_id"}
)


@receiver(post_save, sender=Retailer, dispatch_uid="orders_kept_retailer_saved")
def orders_kept_retailer_saved(sender, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not ORDER_LIST_RETAILER_FIELDS & set(update_fields)):
        return
    orders_forget()


@receiver(post_save, sender=Order, dispatch_uid="orders_kept_order_saved")
@receiver(post_delete, sender=Order, dispatch_uid="orders_kept_order_deleted")
@receiver(post_delete, sender=DeliveryRoute, dispatch_uid="orders_kept_route_deleted")
@receiver(post_delete, sender=Employee, dispatch_uid="orders_kept_employee_deleted")
def orders_kept_source_changed(sender, raw=False, **kwargs):
    if not raw:
        orders_forget()


def set_up_after_migrate(sender, using="default", **kwargs):
    """The extranet site and its home page exist whenever the database is migrated."""
    from django.conf import settings
    from django.db import connections

    from extranet.models import ExtranetHomePage
    from portal.services import site_ensure

    tables = connections[using].introspection.table_names()
    if ExtranetHomePage._meta.db_table not in tables or "wagtailcore_site" not in tables:
        return
    site_ensure(
        site_name="extranet",
        page_model=ExtranetHomePage,
        title="零售客户服务",
        slug="extranet",
        hostname=settings.EXTRANET_SITE_HOSTNAME,
        port=settings.EXTRANET_SITE_PORT,
        default=False,
    )
