"""Retailers and the extranet's home page. The CRM profile, catalogue and ordering issues fill
these in; for now a retailer is its licence, its store and the logins of its staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import FaceHomePage


class Retailer(models.Model):
    """A licensed tobacco retail store: one per licence, possibly several logins."""

    licence_number = models.CharField(_("licence number"), max_length=32, unique=True)
    store_name = models.CharField(_("store name"), max_length=128)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    account_manager = models.ForeignKey(
        "portal.Employee",
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retailers",
    )

    class Meta:
        verbose_name = _("retailer")
        verbose_name_plural = _("retailers")
        ordering = ["licence_number"]

    def __str__(self):
        return f"{self.store_name} ({self.licence_number})"


class RetailerLogin(models.Model):
    """Links an extranet user account to the retailer it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="retailer_login",
    )
    retailer = models.ForeignKey(
        Retailer, verbose_name=_("retailer"), on_delete=models.CASCADE, related_name="logins"
    )

    class Meta:
        verbose_name = _("retailer login")
        verbose_name_plural = _("retailer logins")

    def __str__(self):
        return f"{self.user.username} → {self.retailer}"


class ExtranetHomePage(FaceHomePage):
    """The root of the retailers' site."""

    class Meta:
        verbose_name = _("extranet home page")
        verbose_name_plural = _("extranet home pages")

    def get_context(self, request, *args, **kwargs):
        from extranet.selectors import retailer_of

        context = super().get_context(request, *args, **kwargs)
        context["retailer"] = retailer_of(request.user)
        return context
