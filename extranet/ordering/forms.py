"""Forms of the cart, the checkout and the order lists."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet import rules
from extranet.crm.forms import route_field, route_filter_field
from extranet.ordering.models import Order


class AddToCartForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=pgettext_lazy("order", "Cartons"), min_value=1, initial=1)

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        maximum = rules.max_line_cartons()
        if quantity > maximum:
            raise forms.ValidationError(
                _("At most %(maximum)s cartons per product.") % {"maximum": maximum}
            )
        return quantity


class CheckoutForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    # The identity of the cart the form was shown with ("id:version", CartIdentity.token).
    cart = forms.CharField(max_length=48, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("order", "Reason"), max_length=200, required=True)


class OrderFilterForm(forms.Form):
    cycle = forms.DateField(
        label=pgettext_lazy("order", "Order day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("order", "Status"),
        required=False,
        choices=[("", pgettext_lazy("order", "All")), *Order.Status.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"] = route_filter_field()
        self.order_fields(["cycle", "route", "status"])


class PickingForm(forms.Form):
    cycle = forms.DateField(
        label=pgettext_lazy("order", "Order day"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"] = route_field(label=pgettext_lazy("order", "Route"))
        self.order_fields(["route", "cycle"])
