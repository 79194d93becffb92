"""Forms of the retailers' pages: filters, the profile's groups, logins, imports, and the
pickers of retailers, account managers and routes."""

from django import forms
from django.db import models
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet import rules
from extranet.catalogue.models import DeliveryRoute
from extranet.crm import licences
from extranet.crm.models import Retailer, Weekday
from extranet.crm.selectors import account_managers
from extranet.crm.services import DYNAMIC_FIELDS, STATIC_FIELDS


class RetailerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or licence"), required=False, max_length=64)
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All grades")), *((grade, str(grade)) for grade in rules.GRADES)],
    )
    order_day = forms.TypedChoiceField(
        label=_("Order day"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *Weekday.choices],
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    buying = forms.ChoiceField(label=pgettext_lazy("retailer filter", "Ordering"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"] = route_filter_field()
        self.order_fields(["q", "grade", "route", "order_day", "region"])
        self.fields["region"].choices = [("", _("All")), *((name, name) for name in regions)]
        self.fields["buying"].choices = [
            ("", _("All")),
            (licences.MAY_NOT_BUY, _("May not order now")),
            (licences.NOT_OPEN, _("Not open for business")),
            (licences.EXPIRED, pgettext_lazy("retailer filter", "Licence expired")),
            (
                licences.EXPIRING,
                _("Licence expires within %(days)s days") % {"days": rules.licence_warning_days()},
            ),
        ]


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
