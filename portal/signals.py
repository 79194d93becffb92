"""The core's signal receivers, connected by `PortalConfig.ready()`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction

from portal.pages import forget_any_view_restriction


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="pages_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="pages_restriction_deleted")
def view_restriction_changed(**kwargs):
    forget_any_view_restriction()
