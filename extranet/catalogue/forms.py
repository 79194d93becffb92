"""Forms of the catalogue pages and of stock adjustments."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("catalogue", "Search products"), required=False, max_length=64
    )
    brand = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StockAdjustForm(forms.Form):
    KIND_CHOICES = [
        ("delta", _("Add or take off cartons")),
        ("counted", _("Set to a counted quantity")),
    ]
    kind = forms.ChoiceField(
        label=_("Change"), choices=KIND_CHOICES, initial="delta", widget=forms.RadioSelect
    )
    quantity = forms.IntegerField(
        label=pgettext_lazy("catalogue", "Cartons"),
        min_value=-999_999_999,
        max_value=999_999_999,
        help_text=_("For a change: positive to add, negative to take off."),
    )
    reason = forms.CharField(label=pgettext_lazy("catalogue", "Reason"), max_length=200)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "counted" and data.get("quantity") is not None:
            if data["quantity"] < 0:
                self.add_error("quantity", _("A counted quantity cannot be negative."))
        return data
