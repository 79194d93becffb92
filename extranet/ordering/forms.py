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


def _whole_number(raw) -> int | None:
    """`raw` when it is plainly a whole number (ASCII digits, no sign, spaces or separators):
    what the form's IntegerField makes of it; None for anything else, which the form reads."""
    if isinstance(raw, str) and 0 < len(raw) <= 9 and raw.isascii() and raw.isdigit():
        return int(raw)
    return None


def add_to_cart_read(data) -> tuple[dict | None, list[str]]:
    """The add-to-cart form's `(cleaned_data, [])`, or `(None, its error messages)`, as
    `AddToCartForm(data)` gives them. The common submit (two plain numbers, the quantity from 1
    to the maximum) is read without the form machinery on the path of every order; anything
    else goes through the form, so its errors are the form's own."""
    product, quantity = _whole_number(data.get("product")), _whole_number(data.get("quantity"))
    if product is not None and quantity is not None and 1 <= quantity <= rules.max_line_cartons():
        return {"product": product, "quantity": quantity}, []
    form = AddToCartForm(data)
    if form.is_valid():
        return form.cleaned_data, []
    return None, [error for errors in form.errors.values() for error in errors]


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


def checkout_read(data) -> dict | None:
    """The checkout form's cleaned data, or None when it is not valid, as `CheckoutForm(data)`
    gives them. A submitted form's plain values (no surrounding spaces nor NUL characters,
    within the lengths) are read directly on the path of every order; anything else goes
    through the form."""
    key, cart = data.get("idempotency_key", ""), data.get("cart", "")
    if (
        isinstance(key, str)
        and isinstance(cart, str)
        and len(key) <= 64
        and 0 < len(cart) <= 48
        and key == key.strip()
        and cart == cart.strip()
        and "\x00" not in key
        and "\x00" not in cart
    ):
        return {"idempotency_key": key, "cart": cart}
    form = CheckoutForm(data)
    return form.cleaned_data if form.is_valid() else None
