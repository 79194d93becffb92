"""Receivers of surveys (connected in `ExtranetConfig.ready()`)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from extranet.surveys.notices import survey_audiences_changed


@receiver(post_save, sender="extranet.Retailer", dispatch_uid="extranet_survey_audiences_retailer")
def retailer_moved(sender, instance, created, update_fields=None, **kwargs):
    """A retailer's grade, region or route changed through its profile: it may have joined the
    audience of an open survey, which the scheduled job then notifies it of."""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    if not created and update_fields:
        survey_audiences_changed(fields=update_fields)
