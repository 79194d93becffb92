import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Department, Employee
from portal.notices.models import Notice, NoticeAttachment
from portal.notices.richtext import has_text, sanitise_html
from portal.permissions import Role

SENDABLE_ROLES = [(role.value, role.label) for role in Role if role != Role.RETAILER]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class NoticeForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-text": "true"}),
        help_text=_(
            "Without the editor: blank lines separate paragraphs; lines starting with “- ” "
            "make a list; **text** is bold; links become clickable."
        ),
        max_length=200_000,
    )
    # "text" unless the editor (JavaScript) took over the textarea and posts HTML; a draft
    # written in the editor is reopened as HTML. Either way the server sanitises the body.
    body_format = forms.ChoiceField(
        choices=Notice.BodyFormat.choices,
        initial=Notice.BodyFormat.TEXT,
        required=False,
        widget=forms.HiddenInput(attrs={"data-body-format": "true"}),
    )
    attachments = MultipleFileField(
        label=pgettext_lazy("mass notice", "Attachments"), required=False
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=NoticeAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_staff = forms.BooleanField(label=_("All staff"), required=False)
    departments = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("mass notice", "Departments"),
        queryset=Department.objects.order_by("sort_order", "name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    include_sections = forms.BooleanField(
        label=_("Include their sections"), required=False, initial=True
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=SENDABLE_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.CharField(
        label=_("Individuals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Employee numbers or email addresses, separated by commas or new lines."),
    )

    def __init__(self, *args, departments=None, notice=None, **kwargs):
        if notice is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(notice)
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["departments"].queryset = departments
        self.notice = notice
        if notice is None:
            del self.fields["remove_attachments"]
        else:
            self.fields["remove_attachments"].queryset = notice.attachments.all()

    def clean_body_format(self):
        return self.cleaned_data["body_format"] or Notice.BodyFormat.TEXT

    def clean_body(self):
        body = self.cleaned_data["body"]
        if self.data.get(self.add_prefix("body_format")) == Notice.BodyFormat.HTML:
            if not has_text(sanitise_html(body)):
                raise forms.ValidationError(_("Write the message."))
        return body

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        limit = settings.NOTICE_ATTACHMENT_MAX_BYTES
        if len(files) > settings.NOTICE_ATTACHMENTS_MAX_COUNT:
            raise forms.ValidationError(
                _("Attach at most %(count)d files.")
                % {"count": settings.NOTICE_ATTACHMENTS_MAX_COUNT}
            )
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(limit)s.")
                    % {"name": upload.name, "limit": filesizeformat(limit)}
                )
        return files

    def clean_people(self):
        words = [w for w in re.split(r"[\s,，;；、]+", self.cleaned_data["people"]) if w]
        if not words:
            return []
        found = dict(
            Employee.objects.filter(employee_number__in=words, user__is_active=True).values_list(
                "employee_number", "employee_number"
            )
        )
        lowered = [w.lower() for w in words if "@" in w]
        by_email = dict(
            Employee.objects.filter(user__email__in=lowered, user__is_active=True).values_list(
                "user__email", "employee_number"
            )
        )
        numbers, unknown = [], []
        for word in words:
            number = found.get(word) or by_email.get(word.lower())
            if number:
                numbers.append(number)
            else:
                unknown.append(word)
        if unknown:
            raise forms.ValidationError(
                _("Nobody active has the employee number or email: %(unknown)s.")
                % {"unknown": ", ".join(unknown)}
            )
        return sorted(set(numbers))

    def clean(self):
        cleaned = super().clean()
        if self.notice is not None and "attachments" in cleaned:
            removed = cleaned.get("remove_attachments") or []
            kept = len(self.notice.attachments.all()) - len(removed)
            if kept + len(cleaned["attachments"]) > settings.NOTICE_ATTACHMENTS_MAX_COUNT:
                self.add_error(
                    "attachments",
                    _("A notice has at most %(count)d attachments; remove some first.")
                    % {"count": settings.NOTICE_ATTACHMENTS_MAX_COUNT},
                )
        if not self.errors and not (
            cleaned.get("all_staff")
            or cleaned.get("departments")
            or cleaned.get("roles")
            or cleaned.get("people")
        ):
            raise forms.ValidationError(
                _("Choose the recipients: all staff, departments, roles or individuals.")
            )
        return cleaned

    def audience(self) -> dict:
        data = self.cleaned_data
        if data["all_staff"]:
            return {"all": True}
        return {
            "departments": sorted(d.code for d in data["departments"]),
            "include_sections": bool(data["include_sections"]),
            "roles": sorted(data["roles"]),
            "people": data["people"],
        }


def initial_from(notice: Notice) -> dict:
    """The compose form's values for reopening a draft."""
    audience = notice.audience or {}
    return {
        "subject": notice.subject,
        "body": notice.body,
        "body_format": notice.body_format,
        "all_staff": bool(audience.get("all")),
        "departments": audience.get("departments") or [],
        "include_sections": bool(audience.get("include_sections", True)),
        "roles": audience.get("roles") or [],
        "people": "\n".join(audience.get("people") or []),
    }
