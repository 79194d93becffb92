from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    """Department bulletin boards, factory news and discussion topics."""

    name = "bulletins"
    verbose_name = _("Bulletins")
