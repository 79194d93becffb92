from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum.services.identity import MIN_REVEAL_REASON
from forum.services.posting import MAX_BODY, MAX_TITLE

BODY_HELP = _(
    "Markdown: **bold**, *italic*, `code`, > quote, - lists, [link](https://…). "
    "HTML and images are not shown. Mention someone with @pseudonym."
)


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", pgettext_lazy("forum", "Text"))
        kwargs.setdefault("help_text", BODY_HELP)
        kwargs.setdefault("max_length", MAX_BODY)
        kwargs.setdefault(
            "widget",
            forms.Textarea(
                attrs={"rows": 10, "data-mentions": reverse_lazy("forum:pseudonyms_json")}
            ),
        )
        super().__init__(**kwargs)


class TopicForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("forum", "Title"), max_length=MAX_TITLE)
    body = BodyField()


class ReplyForm(forms.Form):
    body = BodyField()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("forum", "Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Written reason for this reveal"),
        min_length=MIN_REVEAL_REASON,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Recorded in the audit log with your name and the time, and sent to the other "
            "identity auditors."
        ),
    )


class PseudonymChoiceForm(forms.Form):
    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = forms.ChoiceField(
            label=pgettext_lazy("forum", "Your pseudonym"),
            choices=[(name, name) for name in offered],
            widget=forms.RadioSelect,
        )


class SettingsForm(forms.Form):
    email_notifications = forms.BooleanField(
        label=_("Also send my forum notifications to my work email address"), required=False
    )


class MoveForm(forms.Form):
    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"] = forms.ModelChoiceField(
            label=_("Move to board"), queryset=boards, empty_label=None
        )
