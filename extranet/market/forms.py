from datetime import timedelta
from functools import lru_cache

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from extranet.feedback.forms import MultiplePhotoField
from extranet.market.models import MarketReport
from extranet.models import Product


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("market report", "Type"), choices=MarketReport.Kind.choices
    )
    observed_on = forms.DateField(
        label=pgettext_lazy("market report", "Observed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    location = forms.CharField(
        label=pgettext_lazy("market report", "Location"),
        max_length=200,
        help_text=_("Store, street or market where you saw it."),
    )
    product = forms.ModelChoiceField(
        label=pgettext_lazy("market report", "Product"),
        required=False,
        queryset=Product.objects.select_related("brand").order_by("brand__name", "name"),
        help_text=_("Required for a shelf price."),
    )
    brand_name = forms.CharField(
        label=_("Brand or product name"),
        max_length=128,
        required=False,
        help_text=_("For products not in the catalogue."),
    )
    price = forms.DecimalField(
        label=_("Price per carton"),
        required=False,
        min_value=0.01,
        max_digits=10,
        decimal_places=2,
    )
    quantity = forms.IntegerField(
        label=pgettext_lazy("market report", "Quantity (cartons)"),
        required=False,
        min_value=1,
        max_value=1_000_000,
    )
    description = forms.CharField(
        label=_("What you observed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    photos = MultiplePhotoField(
        label=pgettext_lazy("market report", "Photos (optional)"),
        required=False,
        help_text=_("Up to 5 images (JPEG, PNG, WebP or GIF)."),
    )

    def clean_observed_on(self):
        value = self.cleaned_data["observed_on"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        if value < today - timedelta(days=366):
            raise forms.ValidationError(_("The date cannot be more than a year ago."))
        return value

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Please describe what you observed."))
        return text

    def clean(self):
        data = super().clean()
        if data.get("kind") == MarketReport.Kind.SHELF_PRICE:
            if not data.get("product"):
                self.add_error("product", _("Choose the product whose price you saw."))
            if data.get("price") is None:
                self.add_error("price", _("Enter the shelf price."))
        if data.get("kind") == MarketReport.Kind.DEMAND and not data.get("brand_name", "").strip():
            self.add_error("brand_name", _("Name the brand that is asked for."))
        return data

    def service_arguments(self):
        """The arguments of `report_submit` that the form gives (both faces)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "observed_on": data["observed_on"],
            "location": data["location"],
            "description": data["description"],
            "product": data.get("product"),
            "brand_name": data.get("brand_name", ""),
            "price": data.get("price"),
            "quantity": data.get("quantity"),
            "photos": data.get("photos") or (),
        }


class AddInfoForm(forms.Form):
    text = forms.CharField(
        label=_("Information you add"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultiplePhotoField(
        label=pgettext_lazy("market report", "Photos (optional)"), required=False
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write the information you add."))
        return text


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("reject", pgettext_lazy("market report", "Reject")),
            ("ask", _("Ask for more information")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason or question"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject or to ask for more information."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("reject", "ask") and not data.get("note", "").strip():
            self.add_error("note", _("Required to reject or to ask for more information."))
        return data


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("market report", "Status"), required=False, choices=[]
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("market report", "Type"), required=False, choices=[]
    )
    region = forms.ChoiceField(
        label=pgettext_lazy("market report", "Region"), required=False, choices=[]
    )
    mine = forms.BooleanField(label=_("Submitted by me"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", pgettext_lazy("market report", "All")),
            *MarketReport.Status.choices,
        ]
        self.fields["kind"].choices = [
            ("", pgettext_lazy("market report", "All")),
            *MarketReport.Kind.choices,
        ]
        self.fields["region"].choices = [
            ("", pgettext_lazy("market report", "All")),
            *((r, r) for r in regions),
        ]


class AnalysisFilterForm(forms.Form):
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
    region = forms.ChoiceField(
        label=pgettext_lazy("market report", "Region"), required=False, choices=[]
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = tuple(regions)
        self.fields["region"].choices = [("", _("All regions")), *((r, r) for r in regions)]

    def as_p_html(self) -> SafeString:
        """`as_p()`, rendered once per language, data, initial values and regions in this
        process (every dashboard request shows the same few forms, and rendering the widgets'
        templates cost a fifth of a dashboard's CPU). The key holds everything the HTML
        depends on, so nothing is ever stale."""
        data = None
        if self.is_bound:
            data = tuple((key, tuple(values)) for key, values in sorted(self.data.lists()))
        initial = tuple(sorted(self.initial.items()))
        return _analysis_filter_html(get_language(), data, initial, self.regions)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start of the period is after its end."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data


@lru_cache(maxsize=256)
def _analysis_filter_html(_language, data, initial, regions) -> SafeString:
    bound = None
    if data is not None:
        bound = QueryDict(mutable=True)
        for key, values in data:
            bound.setlist(key, list(values))
    return AnalysisFilterForm(bound, initial=dict(initial), regions=regions).as_p()
