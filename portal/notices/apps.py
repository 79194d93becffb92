from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Mass notices: compose, choose recipients, send in the background, archive and inbox."""

    name = "portal.notices"
    label = "notices"
    verbose_name = _("Notices")
