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
from extranet.crm.models import Retailer, Visit, Weekday
from extranet.crm.selectors import account_managers
from extranet.crm.services import DYNAMIC_FIELDS, STATIC_FIELDS


class RetailerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or licence"), required=False, max_length=64)
    grade = forms.TypedChoiceField(
        label=pgettext_lazy("retailer", "Grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All grades")), *((grade, str(grade)) for grade in rules.GRADES)],
    )
    order_day = forms.TypedChoiceField(
        label=pgettext_lazy("retailer", "Order day"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", pgettext_lazy("retailer", "All")), *Weekday.choices],
    )
    region = forms.ChoiceField(label=pgettext_lazy("retailer", "Region"), required=False)
    buying = forms.ChoiceField(label=pgettext_lazy("retailer filter", "Ordering"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"] = route_filter_field()
        self.order_fields(["q", "grade", "route", "order_day", "region"])
        self.fields["region"].choices = [
            ("", pgettext_lazy("retailer", "All")),
            *((name, name) for name in regions),
        ]
        self.fields["buying"].choices = [
            ("", pgettext_lazy("retailer", "All")),
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
    kwargs.setdefault("label", pgettext_lazy("retailer", "Account manager"))
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
    return route_field(required=False, label=pgettext_lazy("retailer", "Route"))


class StaticProfileForm(forms.ModelForm):
    """The static items of the five groups: the sales administrators'."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A picker, not a select: thousands of employees.
        self.fields["account_manager"] = account_manager_field(required=False)

    class Meta:
        model = Retailer
        fields = STATIC_FIELDS
        widgets = {
            "licence_issued_on": forms.DateInput(attrs={"type": "date"}),
            "licence_expires_on": forms.DateInput(attrs={"type": "date"}),
            "annual_review_on": forms.DateInput(attrs={"type": "date"}),
            "customer_since": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_registered_capital(self):
        value = self.cleaned_data["registered_capital"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("An amount of 0 or more."))
        return value

    def clean_integrity_level(self):
        value = self.cleaned_data["integrity_level"]
        if not 1 <= value <= 5:
            raise forms.ValidationError(_("From 1 to 5."))
        return value


class DynamicProfileForm(forms.ModelForm):
    """The dynamic items (source 002): the store's account manager's, and the sales
    administrators'."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Routes by code: a picker, not a select.
        self.fields["route"] = route_field(required=False)

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
    """An uploaded file, or (after a preview) the token of the file kept since."""

    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        required=False,
        help_text=_(
            "One retailer per row, headings in the first row, in Chinese as in the template "
            "(许可证号, 店名, 法定代表人, 地址, 行政区域, 送货线路, 订货日, 结算方式, 信用额度, "
            "客户经理工号 …) or as English codes (licence_number, store_name, …). 许可证号 and "
            "店名 are required; 订货日 is 1 (Monday) to 7 (Sunday); a choice by its code or its "
            "label."
        ),
    )
    kept = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("kept") and not self.errors:
            self.add_error("file", _("Choose the Excel file to import."))
        return cleaned


PASSWORD_DELIVERY = [
    ("show", _("Show it to me once (I will pass it on)")),
    ("mail", _("Mail it to the login's email address")),
]


class RetailerLoginForm(forms.Form):
    username = forms.RegexField(
        label=pgettext_lazy("retailer", "Login name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    email = forms.EmailField(label=pgettext_lazy("retailer", "Email"), required=False)
    deliver = forms.ChoiceField(
        label=pgettext_lazy("retailer", "Password"),
        choices=PASSWORD_DELIVERY,
        initial="show",
        widget=forms.RadioSelect,
    )


class PasswordDeliveryForm(forms.Form):
    deliver = forms.ChoiceField(
        label=_("New password"), choices=PASSWORD_DELIVERY, initial="show", widget=forms.RadioSelect
    )


# Visits and contacts ---------------------------------------------------------------------------


def retailer_field(*, retailers, **kwargs):
    """A store picked by its licence number, among `retailers` (those the person may see)."""
    kwargs.setdefault("label", pgettext_lazy("visit", "Store"))
    kwargs.setdefault("help_text", _("Licence number; type a name or number for suggestions."))
    return LookupField(
        queryset=retailers,
        key="licence_number",
        kind="retailers",
        not_found=_("You have no store with the licence number %(value)s."),
        **kwargs,
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VisitRecordForm(forms.Form):
    """A contact with a store: when, how, where, what was said, what came of it, what next
    (source 004). Built for a phone: the way first, short fields, native date pickers."""

    way = forms.ChoiceField(
        label=pgettext_lazy("visit", "Way"),
        choices=Visit.Way.choices,
        initial=Visit.Way.VISIT,
        widget=forms.RadioSelect,
    )
    done_at = forms.DateTimeField(
        label=pgettext_lazy("visit", "When"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    place = forms.CharField(label=pgettext_lazy("visit", "Place"), required=False, max_length=200)
    content = forms.CharField(
        label=pgettext_lazy("visit", "Content"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was discussed."),
    )
    outcome = forms.CharField(
        label=pgettext_lazy("visit", "Outcome"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What came of it: the effect of the contact."),
    )
    next_step = forms.CharField(
        label=pgettext_lazy("visit", "Next step"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_on = forms.DateField(
        label=pgettext_lazy("visit", "Next contact on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, retailers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if retailers is not None:
            # A new record: which store. A planned visit already names it.
            self.fields["retailer"] = retailer_field(retailers=retailers)
            self.order_fields(["retailer", "way", "done_at"])
        self.fields["done_at"].widget.attrs["autofocus"] = retailers is None

    def clean(self):
        data = super().clean()
        if not (data.get("content", "").strip() or data.get("outcome", "").strip()):
            raise forms.ValidationError(_("Say what was discussed or what came of it."))
        return data


class VisitPlanForm(forms.Form):
    planned_on = forms.DateField(
        label=pgettext_lazy("visit", "Planned for"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, retailers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retailer"] = retailer_field(retailers=retailers)
        self.order_fields(["retailer", "planned_on"])


VISIT_STATES = [
    ("", pgettext_lazy("visit", "All")),
    ("done", pgettext_lazy("visit", "Done")),
    ("planned", pgettext_lazy("visit", "Planned")),
]


class VisitFilterForm(forms.Form):
    way = forms.ChoiceField(label=pgettext_lazy("visit", "Way"), required=False)
    state = forms.ChoiceField(
        label=pgettext_lazy("visit", "State"), required=False, choices=VISIT_STATES
    )
    start = forms.DateField(
        label=pgettext_lazy("date filter", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("date filter", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, retailers, with_manager=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["way"].choices = [("", pgettext_lazy("visit", "All")), *Visit.Way.choices]
        self.fields["retailer"] = retailer_field(retailers=retailers, required=False)
        names = ["retailer", "way", "state", "start", "end"]
        if with_manager:
            self.fields["manager"] = account_manager_field(required=False)
            names.insert(1, "manager")
        self.order_fields(names)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class WeekForm(forms.Form):
    """Which week's plan, and for sales administrators whose."""

    week = forms.DateField(
        label=pgettext_lazy("visit", "Week of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, with_manager=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_manager:
            self.fields["manager"] = account_manager_field(required=False)
