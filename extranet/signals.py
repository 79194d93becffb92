"""The extranet app's own receivers, connected by `ExtranetConfig.ready()` (the domain
subpackages keep theirs in their own `signals.py`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from extranet.crm.models import Retailer, RetailerLogin, Visit
from extranet.crm.visits import visits_forget
from portal.models import Employee
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
