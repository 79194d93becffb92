"""Forms of the extranet and its staff side."""

from django import forms
from django.db import models
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from extranet import rules
from extranet.models import DeliveryRoute, Order, Retailer, Weekday
from extranet.services import DYNAMIC_FIELDS, STATIC_FIELDS


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search products"), required=False, max_length=64)
    brand = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AddToCartForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Cartons"), min_value=1, initial=1)

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        maximum = rules.max_line_cartons()
        if quantity > maximum:
            raise forms.ValidationError(
                _("At most %(maximum)s cartons per product.") % {"maximum": maximum}
            )
        return quantity


class CheckoutForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=True)


class RetailerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or licence"), required=False, max_length=64)
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All grades")), *((grade, str(grade)) for grade in range(1, 9))],
    )
    order_day = forms.TypedChoiceField(
        label=_("Order day"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *Weekday.choices],
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"] = route_filter_field()
        self.order_fields(["q", "grade", "route", "order_day", "region"])
        self.fields["region"].choices = [("", _("All")), *((name, name) for name in regions)]


class OrderFilterForm(forms.Form):
    cycle = forms.DateField(
        label=_("Order day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Order.Status.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"] = route_filter_field()
        self.order_fields(["cycle", "route", "status"])


class PickingForm(forms.Form):
    cycle = forms.DateField(label=_("Order day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"] = route_field(label=_("Route"))
        self.order_fields(["route", "cycle"])


class LookupField(forms.CharField):
    """A foreign key picked by its natural key (licence number, employee number, route code)
    instead of a select of every row: without JavaScript the key is typed; with it
    (extranet/lookup.js) suggestions come from the bounded JSON lookup as you type."""

    def __init__(self, *, queryset, key, kind, not_found, **kwargs):
        self.queryset, self.key, self.not_found = queryset, key, not_found
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "data-lookup": reverse_lazy("sales:lookup", args=[kind]),
                    "autocomplete": "off",
                }
            ),
        )
        super().__init__(max_length=64, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, models.Model):
            return getattr(value, self.key)
        if isinstance(value, int):
            return self.queryset.filter(pk=value).values_list(self.key, flat=True).first() or ""
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = self.queryset.filter(**{self.key: text}).first()
        if found is None:
            raise forms.ValidationError(self.not_found % {"value": text})
        return found


def account_manager_field(**kwargs):
    from extranet.selectors import account_managers

    kwargs.setdefault("label", _("Account manager"))
    kwargs.setdefault("help_text", _("Employee number; type a name or number for suggestions."))
    return LookupField(
        queryset=account_managers(),
        key="employee_number",
        kind="employees",
        not_found=_("No account manager has the employee number %(value)s."),
        **kwargs,
    )


def route_field(**kwargs):
    kwargs.setdefault("label", _("Delivery route"))
    kwargs.setdefault("help_text", _("Route code; type a code or name for suggestions."))
    return LookupField(
        queryset=DeliveryRoute.objects.all(),
        key="code",
        kind="routes",
        not_found=_("There is no delivery route %(value)s."),
        **kwargs,
    )


def route_filter_field():
    """The route of a list's filters: a picker (routes grow with the sales area), empty for
    all routes."""
    return route_field(required=False, label=_("Route"))


class StaticProfileForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pickers, not selects: thousands of employees, and routes by code.
        self.fields["account_manager"] = account_manager_field(required=False)
        self.fields["route"] = route_field(required=False)

    class Meta:
        model = Retailer
        fields = STATIC_FIELDS
        widgets = {
            "licence_issued_on": forms.DateInput(attrs={"type": "date"}),
            "licence_expires_on": forms.DateInput(attrs={"type": "date"}),
            "customer_since": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_integrity_level(self):
        value = self.cleaned_data["integrity_level"]
        if not 1 <= value <= 5:
            raise forms.ValidationError(_("From 1 to 5."))
        return value


class DynamicProfileForm(forms.ModelForm):
    class Meta:
        model = Retailer
        fields = DYNAMIC_FIELDS

    def _score(self, name):
        value = self.cleaned_data[name]
        if not 0 <= value <= 10:
            raise forms.ValidationError(_("From 0 to 10."))
        return value

    def clean_support_score(self):
        return self._score("support_score")

    def clean_influence_score(self):
        return self._score("influence_score")


class RetailerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "One retailer per row, headers in the first row: licence_number, store_name, "
            "legal_representative, address, region, route, order_day (1 = Monday … 7 = Sunday), "
            "settlement (cash or credit), credit_limit, account_manager (employee number)."
        ),
    )


# Feedback and complaints ----------------------------------------------------------------------

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
MAX_PHOTOS = 5


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        from portal.files import validate_upload

        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}
            )
        cleaned = [super(MultiplePhotoField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            validate_upload(upload, allowed_suffixes=PHOTO_SUFFIXES)
        return cleaned


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    text = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    photos = MultiplePhotoField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 5 images (JPEG, PNG, WebP or GIF)."),
    )

    def __init__(self, *args, **kwargs):
        from extranet.models import Feedback

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Feedback.Kind.choices

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write your message."))
        return text


class FeedbackRatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well was your feedback handled?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[])
    overdue = forms.BooleanField(label=_("Overdue call-backs only"), required=False)

    def __init__(self, *args, **kwargs):
        from extranet.models import Feedback

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *Feedback.Status.choices]
        self.fields["kind"].choices = [("", _("All")), *Feedback.Kind.choices]


class CallbackForm(forms.Form):
    called_at = forms.DateTimeField(
        label=_("Called back at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    method = forms.ChoiceField(label=_("By"), choices=[])
    summary = forms.CharField(
        label=_("What was said"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        from extranet.models import Feedback

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = Feedback.Method.choices


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown to the retailer."),
    )


class ReassignForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A picker, not a select of every account manager.
        self.fields["employee"] = account_manager_field(label=_("Assign to"))


class EffectiveForm(forms.Form):
    effective = forms.BooleanField(label=_("Effective complaint"), required=False)


# Stock and retailer logins --------------------------------------------------------------------


class StockAdjustForm(forms.Form):
    KIND_CHOICES = [
        ("delta", _("Add or take off cartons")),
        ("counted", _("Set to a counted quantity")),
    ]
    kind = forms.ChoiceField(
        label=_("Change"), choices=KIND_CHOICES, initial="delta", widget=forms.RadioSelect
    )
    quantity = forms.IntegerField(
        label=_("Cartons"),
        min_value=-999_999_999,
        max_value=999_999_999,
        help_text=_("For a change: positive to add, negative to take off."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "counted" and data.get("quantity") is not None:
            if data["quantity"] < 0:
                self.add_error("quantity", _("A counted quantity cannot be negative."))
        return data


PASSWORD_DELIVERY = [
    ("show", _("Show it to me once (I will pass it on)")),
    ("mail", _("Mail it to the login's email address")),
]


class RetailerLoginForm(forms.Form):
    username = forms.RegexField(
        label=_("Login name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    email = forms.EmailField(label=_("Email"), required=False)
    deliver = forms.ChoiceField(
        label=_("Password"), choices=PASSWORD_DELIVERY, initial="show", widget=forms.RadioSelect
    )


class PasswordDeliveryForm(forms.Form):
    deliver = forms.ChoiceField(
        label=_("New password"), choices=PASSWORD_DELIVERY, initial="show", widget=forms.RadioSelect
    )
