"""Forms of the document register: registering and revising a document, its files, its
repeal, who may read it, and the register's filters."""

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.register.models import Category, PolicyDocument
from portal.files import validate_upload
from portal.models import Department, Employee
from portal.permissions import Role

DOCUMENT_FILE_SUFFIXES = frozenset({".pdf", ".docx", ".doc"})
ATTACHMENT_SUFFIXES = frozenset({".pdf", ".docx", ".doc", ".xlsx", ".xls", ".txt", ".csv"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in data]


class DateInput(forms.DateInput):
    input_type = "date"


class DocumentForm(forms.Form):
    """Register a document (all fields) or revise it (the number stays as given)."""

    issuing_department = forms.ModelChoiceField(
        label=pgettext_lazy("policy document", "Issuing department"),
        queryset=Department.objects.all(),
    )
    number_prefix = forms.CharField(
        label=_("Number prefix"),
        max_length=20,
        help_text=_("The department's abbreviation in the number, e.g. 厂办."),
    )
    year = forms.IntegerField(
        label=pgettext_lazy("policy document", "Year"), min_value=1990, max_value=2100
    )
    sequence = forms.IntegerField(
        label=_("Sequence number"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for the next free number of the department and year."),
    )
    title = forms.CharField(label=pgettext_lazy("policy document", "Title"), max_length=200)
    level = forms.ChoiceField(
        label=pgettext_lazy("policy document", "Level"), choices=PolicyDocument.Level.choices
    )
    category = forms.ModelChoiceField(
        label=pgettext_lazy("policy document", "Category"),
        queryset=Category.objects.all(),
        required=False,
    )
    signing_date = forms.DateField(
        label=pgettext_lazy("policy document", "Signing date"), required=False, widget=DateInput
    )
    effective_date = forms.DateField(
        label=pgettext_lazy("policy document", "Effective date"), required=False, widget=DateInput
    )
    summary = forms.CharField(
        label=pgettext_lazy("policy document", "Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    is_restricted = forms.BooleanField(
        label=_("Restricted: only people the head of the issuing department authorises"),
        required=False,
    )
    requires_acknowledgement = forms.BooleanField(
        label=_("Readers must acknowledge having read it"), required=False
    )
    supersedes = forms.ModelChoiceField(
        label=pgettext_lazy("policy document", "Supersedes"),
        queryset=PolicyDocument.objects.filter(status=PolicyDocument.Status.IN_FORCE),
        required=False,
        help_text=_("The document in force that this one replaces when it is published."),
    )
    official_file = forms.FileField(label=_("Official file (PDF or Word)"), required=False)
    attachments = MultipleFileField(label=pgettext_lazy("policy document", "Attachments"))

    REGISTER_ONLY = ("issuing_department", "number_prefix", "year", "sequence", "supersedes")

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in (*self.REGISTER_ONLY, "official_file", "attachments"):
                del self.fields[name]
        else:
            self.fields["year"].initial = timezone.localdate().year
            self.fields["supersedes"].queryset = self.fields["supersedes"].queryset.select_related(
                "issuing_department"
            )

    def clean_official_file(self):
        upload = self.cleaned_data.get("official_file")
        if upload:
            validate_upload(upload, allowed_suffixes=DOCUMENT_FILE_SUFFIXES)
        return upload

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        for upload in uploads:
            validate_upload(upload, allowed_suffixes=ATTACHMENT_SUFFIXES)
        return uploads


class DocumentFileForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("document file", "Kind"),
        choices=[
            ("official", _("New version of the official file")),
            ("attachment", pgettext_lazy("policy document", "Attachment")),
        ],
    )
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            allowed = (
                DOCUMENT_FILE_SUFFIXES if cleaned.get("kind") == "official" else ATTACHMENT_SUFFIXES
            )
            try:
                validate_upload(upload, allowed_suffixes=allowed)
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned


class RepealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the repeal"), widget=forms.Textarea(attrs={"rows": 3})
    )


class GrantForm(forms.Form):
    """Whom to grant: one of a person (by employee number), a group or a department."""

    employee_number = forms.CharField(
        label=pgettext_lazy("policy document", "Employee number"), max_length=32, required=False
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.order_by("name"), required=False
    )
    department = forms.ModelChoiceField(
        label=pgettext_lazy("policy document", "Department"),
        queryset=Department.objects.all(),
        required=False,
    )
    include_sections = forms.BooleanField(
        label=_("Including its sections"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Retailers' group is never a reader of intranet documents.
        self.fields["group"].queryset = Group.objects.exclude(name=Role.RETAILER).order_by("name")

    def clean_employee_number(self):
        number = self.cleaned_data["employee_number"].strip()
        if not number:
            return None
        employee = (
            Employee.objects.select_related("user")
            .filter(employee_number__iexact=number, user__is_active=True)
            .first()
        )
        if employee is None:
            raise forms.ValidationError(_("No active employee has this number."))
        return employee

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("employee_number", "group", "department") if cleaned.get(name)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(_("Choose exactly one: a person, a group or a department."))
        return cleaned


class RevokeForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("user", "user"), ("group", "group"), ("department", "department")]
    )
    target = forms.IntegerField(min_value=1)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    level = forms.ChoiceField(required=False, choices=[("", "")] + PolicyDocument.Level.choices)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    department = forms.IntegerField(required=False, min_value=1)
    category = forms.IntegerField(required=False, min_value=1)
    status = forms.ChoiceField(required=False, choices=[("", "")] + PolicyDocument.Status.choices)
    page = forms.CharField(required=False, max_length=20)
