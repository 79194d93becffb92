"""Receivers of the catalogue (connected by importing this module in `ExtranetConfig.ready()`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from extranet.catalogue.selectors import CATALOGUE_GENERATION


@receiver(post_save, sender="extranet.Brand", dispatch_uid="catalogue_brand_saved")
@receiver(post_delete, sender="extranet.Brand", dispatch_uid="catalogue_brand_deleted")
@receiver(post_save, sender="extranet.Product", dispatch_uid="catalogue_product_saved")
@receiver(post_delete, sender="extranet.Product", dispatch_uid="catalogue_product_deleted")
def catalogue_changed(**kwargs):
    """A brand or a product was saved or deleted: the cached shared catalogue lists are stale."""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    CATALOGUE_GENERATION.bump()
