"""Forms of report circulation: a report (with its type's own fields), the choice of a report
type, a step's comment, and the filters of a department's boxes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.circulation import report_fields
from documents.circulation.models import CircularReport, ReportType
from documents.circulation.services import REPORT_ATTACHMENT_SUFFIXES
from documents.register.forms import MultipleFileField
from portal.files import validate_upload


class ReportForm(forms.Form):
    """A report: title and period, the type's own fields when it has them (see
    documents.circulation.report_fields), then free content (optional when the type has fields) and
    attachments."""

    title = forms.CharField(label=pgettext_lazy("report", "Title"), max_length=200)
    period = forms.CharField(
        label=pgettext_lazy("report", "Period"),
        max_length=32,
        required=False,
        help_text=_("e.g. 2026-11"),
    )
    body = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(label=pgettext_lazy("report", "Attachments"))

    def __init__(self, *args, schema=(), data_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = list(schema or [])
        if not self.schema:
            return
        own = {}
        for spec in self.schema:
            name = report_fields.FIELD_PREFIX + spec["name"]
            own[name] = report_fields.form_field(spec)
            if data_initial and spec["name"] in data_initial:
                self.initial[name] = report_fields.initial_value(spec, data_initial[spec["name"]])
        self.fields["body"].required = False
        self.fields["body"].label = _("Other remarks")
        self.fields["body"].widget.attrs["rows"] = 3
        fields = self.fields
        self.fields = {
            "title": fields["title"],
            "period": fields["period"],
            **own,
            "body": fields["body"],
            "attachments": fields["attachments"],
        }

    def answers(self) -> dict:
        """The cleaned answers to the type's fields, as kept on the report."""
        return {
            spec["name"]: report_fields.stored_value(
                spec, self.cleaned_data.get(report_fields.FIELD_PREFIX + spec["name"])
            )
            for spec in self.schema
        }

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        for upload in uploads:
            validate_upload(upload, allowed_suffixes=REPORT_ATTACHMENT_SUFFIXES)
        return uploads


class ReportTypeChoiceForm(forms.Form):
    report_type = forms.ModelChoiceField(label=_("Report type"), queryset=ReportType.objects.none())

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_type"].queryset = queryset


class ReportStepForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    # The destination decided for (accepting or returning), when the head heads several.
    destination = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class BoxFilterForm(forms.Form):
    box = forms.ChoiceField(required=False, choices=[("inbox", "inbox"), ("outbox", "outbox")])
    department = forms.IntegerField(required=False, min_value=1)
    status = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("overdue", "overdue")]
        + CircularReport.Status.choices
        + [("waiting", "waiting")],
    )
    page = forms.CharField(required=False, max_length=20)
