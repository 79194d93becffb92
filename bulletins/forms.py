"""Forms of the bulletins pages."""

from functools import lru_cache

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

MONTHS = [("", _("Any month"))] + [(str(number), str(number)) for number in range(1, 13)]


class BoardFilterForm(forms.Form):
    """Search and filter a board's list."""

    q = forms.CharField(label=_("Search this board"), required=False, max_length=100)
    year = forms.IntegerField(
        label=pgettext_lazy("bulletins", "Year"), required=False, min_value=2000, max_value=2100
    )
    month = forms.TypedChoiceField(
        label=pgettext_lazy("bulletins", "Month"),
        required=False,
        choices=MONTHS,
        coerce=int,
        empty_value=None,
    )
    archive = forms.BooleanField(label=_("Include expired notices (archive)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("month") and not data.get("year"):
            self.add_error("year", _("Choose a year to filter by month."))
        data["q"] = (data.get("q") or "").strip()
        return data


BOARD_FILTER_TEMPLATE = "bulletins/board_filter_fields.html"


@lru_cache(maxsize=8)
def _blank_board_filter_fields(language):
    return render_to_string(BOARD_FILTER_TEMPLATE, {"filter_form": BoardFilterForm()})


def board_filter_fields(form: BoardFilterForm | None) -> str:
    """The filter's fields as HTML (`form` None: no filter given). Until a filter is chosen
    they are the same for every request in a language, so they are rendered once per process
    and language (a fifth of a board page's cost otherwise)."""
    if form is not None and form.is_bound and any(name in form.data for name in form.fields):
        return render_to_string(BOARD_FILTER_TEMPLATE, {"filter_form": form})
    return _blank_board_filter_fields(get_language())


class DelegateForm(forms.Form):
    """The head names a delegate by employee number."""

    employee_number = forms.CharField(
        label=pgettext_lazy("bulletins", "Employee number"), max_length=32
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board

    def clean_employee_number(self):
        from portal.models import Employee

        number = self.cleaned_data["employee_number"].strip()
        employee = (
            Employee.objects.select_related("user")
            .filter(employee_number__iexact=number, user__is_active=True)
            .first()
        )
        if employee is None:
            raise forms.ValidationError(_("No active employee has this number."))
        self.employee = employee
        return number


class NoticeAdminForm(WagtailAdminPageForm):
    """Wagtail's edit form of a notice: a notice for chosen departments names at least one."""

    def clean(self):
        data = super().clean()
        if not data.get("audience_all") and not data.get("audience_departments"):
            self.add_error(
                "audience_departments",
                _("Choose at least one department, or address the notice to all staff."),
            )
        return data


class DiscussionForm(forms.Form):
    """A board editor opens a discussion topic."""

    question = forms.CharField(label=pgettext_lazy("bulletins", "Question"), max_length=200)
    background = forms.CharField(
        label=_("Background"), max_length=5000, required=False, widget=forms.Textarea
    )
    opens_at = forms.DateTimeField(
        label=_("Open from"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Open until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The topic must close after it opens."))
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your suggestion"), max_length=20_000, widget=forms.Textarea)


class MarkForm(forms.Form):
    """The board's answer to a suggestion: one of `statuses` (`SuggestionMark.Status`)."""

    status = forms.ChoiceField(label=pgettext_lazy("bulletins", "Status"), choices=())
    answer = forms.CharField(
        label=pgettext_lazy("bulletins", "Short answer"), max_length=500, required=False
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = statuses
